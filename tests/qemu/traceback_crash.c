/*
 * GOTRACEBACK=crash: the system traceback, then every CPU halts (the
 * state kept for a debugger) instead of exiting; the runner's timeout
 * ends the run.
 *
 * cmdline: GOTRACEBACK=crash
 * runner-args: --timeout 4
 * expect-exit: 124
 * expect-order: goroutine 1 [running]: | gort_panic(...) | fail_here(...) | gort: GOTRACEBACK=crash: every CPU halted for a debugger
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
