/*
 * fatal prints Go's fatal-error report for the runtime's own failures
 * (throw), after stopping the other CPUs. The stack is printed as raw PCs,
 * which the host runner symbolizes: kernel code does not depend on the
 * runtime's symbol table, and a failure may come before it is usable.
 */
#include "kernel/fatal.h"

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/freeze.h"

_Noreturn void fatal(const char *msg)
{
	arch_irq_save();
	freeze_others(); /* the other CPUs stop where they are (kernel/freeze.h) */
	console_printf("fatal error: %s\n\nruntime stack:\n", msg);
	backtrace_print((uintptr_t)fatal, arch_current_fp(), stack_bounds_of(arch_current_fp()));
	machine_exit(2);
}
