/*
 * Faults become Go panics: Go's sigpanic, and debug.SetPanicOnFault.
 *
 * Go turns a fault in Go code into a panic at the faulting instruction:
 * its signal handler records the signal in the goroutine and rewrites the
 * signal context so that, when the handler returns, the goroutine runs
 * sigpanic as if the faulting instruction had called it; sigpanic then
 * panics like any runtime error. gort does the same with the trap frame:
 *
 *   1. The arch's exception entry describes the fault as Go's signal
 *      (kernel/trap.h, struct trap_signal): SIGSEGV with SEGV_MAPERR or
 *      SEGV_ACCERR for a page fault or abort that trap_page_fault did not
 *      resolve (tracked writes, stale TLB entries and stack growth come
 *      first), SIGFPE with FPE_INTDIV for x86_64's divide error (aarch64
 *      and riscv64 division never traps: C's x / 0 there gives the
 *      architecture's result, 0 or all ones, and no panic).
 *   2. runtime_fault, on the exception stack with interrupts off, accepts
 *      the fault only where Go's canpanic would: a goroutine was running
 *      (not the scheduler context), the faulting code ran on that
 *      goroutine's stack (not the exception stack: a fault inside a trap
 *      handler), with interrupts on (runtime code holding a spinlock, an
 *      interrupt handler, a report under way have them off) and
 *      preemption enabled. Anything else stays the fatal "unexpected
 *      exception" report (kernel/trap.c). Accepted, the signal goes into
 *      the goroutine (g.sig, sigcode0, sigcode1, sigpc) and the arch
 *      rewrites the frame (arch_trap_call) so that the exception returns
 *      into sigpanic on the goroutine's stack, interrupts on again, with
 *      a return address inside the faulting instruction: a frame-pointer
 *      walk from sigpanic goes through the faulting function, named at
 *      that instruction's line, and on to its callers. A call through a
 *      nil function pointer faults on fetching its target: sigpanic then
 *      takes the place of the function that was never reached, and the
 *      walk starts at the caller.
 *   3. sigpanic decides as Go's does. SIGFPE: "runtime error: integer
 *      divide by zero". SIGSEGV at an address in the first page (below
 *      0x1000, a nil pointer plus a field offset): "runtime error: invalid
 *      memory address or nil pointer dereference". SIGSEGV elsewhere is
 *      Go's fatal "unexpected fault address 0x..." / "fatal error: fault",
 *      unless the goroutine called debug_SetPanicOnFault(true): then it is
 *      the same runtime error panic. Panics go through gopanic_string, so
 *      deferred calls run and gort_recover / gort_pcall can stop them like
 *      any runtime error.
 *
 * The reports print Go's "[signal SIGSEGV: segmentation violation
 * code=0x1 addr=0x0 pc=0x...]" line from the goroutine's fields
 * (panic_report.c) after the panic or fatal error line; a recovery clears
 * them (panic.c), so a later, unrelated panic prints no stale line.
 *
 * debug_SetPanicOnFault. Go's only changes what happens at a non-nil
 * address (its use is memory-mapped files that may fail to read); gort
 * has no such files, so here it means: this goroutine's faults at any
 * address are recoverable panics instead of the fatal error, for code
 * that probes memory it is not sure of. Per goroutine, off in a new one.
 */
#include <gort/debug.h>

#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "runtime/proc.h"
#include "runtime/sched.h"

/* Faults below this address are nil dereferences (Go's 0x1000). */
#define NIL_PAGE_END 0x1000

#define MSG_MEMORY "runtime error: invalid memory address or nil pointer dereference"
#define MSG_DIVIDE "runtime error: integer divide by zero"

/* Go's "unexpected fault address" fatal error for gp's fault. */
static _Noreturn void fault_fatal(struct g *gp)
{
	unsigned long flags = arch_irq_save();
	console_line_flush(&gp->out); /* what the goroutine printed comes first */
	console_printf("unexpected fault address 0x%lx\n", (unsigned long)gp->sigcode1);
	arch_irq_restore(flags);
	gofatal("fault");
}

/* Entered from a fault's trap frame (runtime_fault), on the goroutine's
 * stack with interrupts on, as if the faulting instruction had called it.
 * Kept out of line with a frame of its own: the walk through it is what
 * names the faulting function. */
static __attribute__((noinline, used)) _Noreturn void sigpanic(void)
{
	struct g *gp = getg();
	if (gp->sig == TRAP_SIGFPE)
		gopanic_string(MSG_DIVIDE);
	if (gp->sigcode1 < NIL_PAGE_END || gp->paniconfault)
		gopanic_string(MSG_MEMORY);
	fault_fatal(gp);
}

bool runtime_fault(struct trapframe *tf, const struct trap_signal *sig)
{
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	if (gp == NULL || mp->preemptoff != 0 || !arch_trap_irq_enabled(tf))
		return false;
	uintptr_t sp = arch_trap_sp(tf);
	if (sp < gp->stack_mapped_lo || sp > gp->stack_hi)
		return false; /* not on its stack: a trap handler's, or a CPU's */
	gp->sig = sig->sig;
	gp->sigcode0 = sig->code;
	gp->sigcode1 = sig->addr;
	gp->sigpc = arch_trap_pc(tf);
	arch_trap_call(tf, (uintptr_t)sigpanic, !sig->fetch,
		       (struct stack_bounds){gp->stack_mapped_lo, gp->stack_hi});
	return true;
}

bool debug_SetPanicOnFault(bool enabled)
{
	struct g *gp = getg();
	bool old = gp->paniconfault;
	gp->paniconfault = enabled;
	return old;
}
