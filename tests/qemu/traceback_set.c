/*
 * debug_SetTraceback("all") raises the level at run time: the report
 * shows every goroutine, as GOTRACEBACK=all would.
 *
 * expect-exit: 2
 * expect-order: goroutine 1 [running]: | fail_here(...) | goroutine 2 [chan receive]: | blocked_worker(...)
 * expect-not-contains: FAIL
 */
#define TRACEBACK_SET "all"
#include "tests/qemu/traceback_program.h"
