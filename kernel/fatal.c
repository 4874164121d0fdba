/*
 * fatal prints Go's fatal-error report. Until the image carries its own
 * symbol table, the stack is printed as raw PCs, which the host runner
 * symbolizes.
 */
#include "kernel/fatal.h"

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/exit.h"

_Noreturn void fatal(const char *msg)
{
	console_printf("fatal error: %s\n\nruntime stack:\n", msg);
	backtrace_print((uintptr_t)fatal, arch_current_fp(), stack_bounds_of(arch_current_fp()));
	machine_exit(2);
}
