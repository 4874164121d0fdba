/*
 * The reports that end the program from the runtime's side: an
 * unrecovered panic and a fatal error in the program's use of the runtime
 * (gofatal), in Go's format, then exit status 2.
 *
 *   panic: first [recovered]
 *   	panic: second
 *
 *   goroutine 1 [running]:
 *   <frames>
 *
 * The panic lines are Go's printpanics: the chain of panics still running,
 * oldest first, each after a tab but the first; " [recovered]" marks one
 * that a deferred call recovered before panicking anew. A panic whose next
 * newer panic has the very same value (a recovered value panicked again)
 * prints once, marked " [recovered, repanicked]" (Go 1.25). Goexit entries
 * print nothing (and no tab follows them). A message's own newlines are
 * followed by a tab, as Go's printpanicval indents them. The deferred
 * calls have all run before this is printed, as in Go. With GOTRACEBACK=all
 * (or higher) every other goroutine follows the failing one.
 *
 * One report at a time: the first CPU to start one owns the console until
 * the machine exits; a goroutine that panics or fails meanwhile on another
 * CPU waits there forever (Go blocks it the same way), so reports never
 * interleave. The report runs with interrupts off from its first line.
 */
#include "runtime/panic.h"

#include <string.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/exit.h"
#include "kernel/freeze.h"
#include "kernel/trap.h"
#include "runtime/sched.h"
#include "runtime/settings.h"
#include "runtime/traceback.h"

static struct cpu *reporter; /* atomic: the CPU printing the final report */

/* Starts the report on this CPU (interrupts off): waits forever if another
 * CPU's report is under way, flushes what the running goroutine printed
 * last, so its report follows its output, and freezes the other CPUs
 * (kernel/freeze.h) unless GODEBUG=dontfreezetheworld=1, so the goroutines
 * they ran hold still for the traceback. */
static void report_begin(void)
{
	struct cpu *none = NULL, *self = this_cpu();
	if (!__atomic_compare_exchange_n(&reporter, &none, self, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE) &&
	    none != self)
		for (;;)
			arch_idle();
	struct m *mp = this_m();
	if (mp != NULL && mp->curg != NULL)
		console_line_flush(&mp->curg->out);
	if (godebug_int("dontfreezetheworld", 0) == 0)
		freeze_others();
}

/* The frames of a report, from the reporting function (pc, fp): the
 * goroutine's header and traceback, or the CPU's stack outside any
 * goroutine. The one place that decides how frames print. */
static void print_panic_traceback(struct g *gp, uintptr_t pc, uintptr_t fp)
{
	if (gp != NULL) {
		traceback_goroutine(NULL, gp, pc, fp);
	} else {
		console_printf("runtime stack:\n");
		traceback_walk(NULL, pc, fp, stack_bounds_of(fp), true);
	}
}

/* What GOTRACEBACK asks for after the panic or error lines: nothing
 * (none), the blank line and the traceback (single), every other
 * goroutine's too (all; system also shows the runtime's frames and
 * goroutines); then exit status 2, or with crash a halt of the whole
 * machine (every CPU stopped, its state kept for a debugger: bare metal
 * has no core file). */
static _Noreturn void die_with_traceback(uintptr_t pc, uintptr_t fp)
{
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	struct traceback_setting tb = settings.traceback;
	if (tb.level > 0) {
		console_printf("\n");
		print_panic_traceback(gp, pc, fp);
		if (tb.all && mp != NULL) {
			console_printf("\n");
			traceback_others(NULL, gp);
		}
	}
	if (tb.crash) {
		console_printf("gort: GOTRACEBACK=crash: every CPU halted for a debugger\n");
		arch_halt();
	}
	machine_exit(2);
}

/* Go's printpanicval: a value's text, each newline in it followed by a
 * tab; "nil" for panic(nil) under GODEBUG=panicnil=1. */
static void print_value(const gort_panicval_t *v)
{
	if (v == NULL) {
		console_printf("nil");
		return;
	}
	if (v->msg == NULL) {
		if (v->value == NULL)
			console_printf("(void *) nil");
		else
			console_printf("(void *) 0x%lx", (unsigned long)(uintptr_t)v->value);
		return;
	}
	const char *s = v->msg;
	for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
		console_write(s, (size_t)(nl - s + 1));
		console_write("\t", 1);
	}
	console_write(s, strlen(s));
}

/* Go's line for a panic or fatal error that a fault raised (sigpanic.c),
 * after the panic or fatal error line:
 * "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x...]". */
static void print_signal(void)
{
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	if (gp == NULL || gp->sig == 0)
		return;
	const char *name = gp->sig == TRAP_SIGFPE ? "SIGFPE: floating-point exception"
						  : "SIGSEGV: segmentation violation";
	console_printf("[signal %s code=0x%x addr=0x%lx pc=0x%lx]\n", name, (unsigned)gp->sigcode0,
		       (unsigned long)gp->sigcode1, (unsigned long)gp->sigpc);
}

/* Go's preprintpanics: marks each panic whose next newer one has the
 * same value (the same pointer, or both nil) repanicked. */
static void mark_repanicked(struct panic *p)
{
	for (; p != NULL && p->link != NULL; p = p->link)
		if (!p->goexit && !p->link->goexit && p->link->arg == p->arg)
			p->link->repanicked = true;
}

/* Go's printpanics, oldest first. */
static void print_panics(const struct panic *p)
{
	if (p->link != NULL) {
		print_panics(p->link);
		if (p->link->repanicked)
			return;
		if (!p->link->goexit)
			console_printf("\t");
	}
	if (p->goexit)
		return;
	console_printf("panic: ");
	print_value(p->arg);
	if (p->recovered && p->repanicked)
		console_printf(" [recovered, repanicked]");
	else if (p->recovered)
		console_printf(" [recovered]");
	console_printf("\n");
}

_Noreturn void panic_report(struct panic *p)
{
	arch_irq_save();
	report_begin();
	mark_repanicked(p);
	print_panics(p);
	print_signal();
	die_with_traceback((uintptr_t)panic_report, arch_current_fp());
}

_Noreturn void panic_report_cannot(const gort_panicval_t *v, const char *why)
{
	arch_irq_save();
	report_begin();
	console_printf("panic: ");
	print_value(v);
	console_printf("\nfatal error: %s\n", why);
	print_signal();
	die_with_traceback((uintptr_t)panic_report_cannot, arch_current_fp());
}

_Noreturn void gofatal(const char *msg)
{
	arch_irq_save();
	report_begin();
	console_printf("fatal error: %s\n", msg);
	print_signal();
	die_with_traceback((uintptr_t)gofatal, arch_current_fp());
}
