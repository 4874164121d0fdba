/*
 * debug_SetTraceback cannot go below the GOTRACEBACK boot parameter, as in
 * Go: with GOTRACEBACK=all, SetTraceback("none") still shows every
 * goroutine.
 *
 * cmdline: GOTRACEBACK=all
 * expect-exit: 2
 * expect-order: goroutine 1 [running]: | fail_here(...) | goroutine 2 [chan receive]: | blocked_worker(...)
 * expect-not-contains: FAIL
 */
#define TRACEBACK_SET "none"
#include "tests/qemu/traceback_program.h"
