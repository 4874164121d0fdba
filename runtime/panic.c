/*
 * Panics and fatal errors caused by the program (a misused channel or
 * mutex), in Go's format: "panic: <msg>" or "fatal error: <msg>", a blank
 * line, then "goroutine N [running]:" and the goroutine's frames; exit
 * status 2. With GOTRACEBACK=all (or higher) every other goroutine follows.
 * Until defer and recover exist every panic is unrecovered.
 */
#include "runtime/sched.h"

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "runtime/settings.h"

/* Prints the running goroutine's traceback (from the reporting
 * function's frame) and, if GOTRACEBACK asks, every other goroutine's; exits. */
static _Noreturn void die_with_traceback(uintptr_t pc, uintptr_t fp)
{
	arch_irq_save();
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	console_printf("\n");
	if (gp != NULL) {
		print_goroutine_header(gp);
		backtrace_print(pc, fp, stack_bounds_of(fp));
	} else {
		console_printf("runtime stack:\n");
		backtrace_print(pc, fp, stack_bounds_of(fp));
	}
	if (settings.traceback.all && mp != NULL) {
		console_printf("\n");
		print_goroutines(gp);
	}
	machine_exit(2);
}

/* What the running goroutine printed last, before the report. */
static void flush_output(void)
{
	struct m *mp = this_m();
	if (mp != NULL && mp->curg != NULL)
		console_line_flush(&mp->curg->out);
}

_Noreturn void gopanic_string(const char *msg)
{
	arch_irq_save();
	flush_output();
	console_printf("panic: %s\n", msg);
	die_with_traceback((uintptr_t)gopanic_string, arch_current_fp());
}

_Noreturn void gofatal(const char *msg)
{
	arch_irq_save();
	flush_output();
	console_printf("fatal error: %s\n", msg);
	die_with_traceback((uintptr_t)gofatal, arch_current_fp());
}
