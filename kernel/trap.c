/*
 * The report for a trap nobody handles, after stopping the other CPUs:
 * name, vector, faulting address, registers, a raw-PC backtrace (which the
 * host runner symbolizes: kernel code does not depend on the runtime's
 * symbol table), then Go's "fatal error:" line and exit status 2.
 *
 * Faults first go to the runtime (trap_signal): one that a goroutine's own
 * code took becomes a Go panic there (runtime/sigpanic.c), and only the
 * others, faults in the runtime with interrupts off, in the scheduler or
 * on the exception stack, reach the report.
 *
 * A trap taken while reporting (a corrupt frame, a console fault) must not
 * recurse forever: the second entry prints one line and exits at once, and
 * a trap while exiting (a missing exit device) halts the CPU. A fault on a
 * CPU that is probing memory (probe.c) is not reported: it returns to the
 * probe.
 */
#include "kernel/trap.h"

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/freeze.h"
#include "kernel/cpu.h"
#include "kernel/exit.h"
#include "kernel/boot.h"
#include "kernel/vm.h"

/* Unexpected traps taken so far; written with interrupts off. */
static volatile int depth;

_Noreturn void trap_unexpected(const struct trapframe *tf, const char *name, uint64_t vector,
			       uint64_t addr)
{
	struct cpu *c = this_cpu();
	if (c->probing)
		longjmp(c->probe_env, 1);
	depth++;
	if (depth > 2)
		arch_halt();
	if (depth == 2) {
		console_printf("\nfatal error: unexpected exception while reporting one (%s)\n",
			       name);
		machine_exit(2);
	}
	freeze_others(); /* the other CPUs stop where they are (kernel/freeze.h) */
	console_printf("unexpected exception: %s (vector %lu) pc=0x%lx addr=0x%lx\n", name,
		       (unsigned long)vector, (unsigned long)arch_trap_pc(tf), (unsigned long)addr);
	arch_trap_print_registers(tf);
	console_printf("backtrace:\n");
	backtrace_print(arch_trap_pc(tf), arch_trap_fp(tf), stack_bounds_of(arch_trap_fp(tf)));
	console_printf("fatal error: unexpected exception\n");
	machine_exit(2);
}

bool trap_page_fault(const struct trapframe *tf, uintptr_t addr, bool write)
{
	if (vm_fault(addr, write))
		return true;
	return runtime_stack_fault(tf, addr);
}

void trap_signal(struct trapframe *tf, const struct trap_signal *sig, const char *name,
		 uint64_t vector)
{
	if (!this_cpu()->probing && runtime_fault(tf, sig))
		return;
	trap_unexpected(tf, name, vector, sig->addr);
}
