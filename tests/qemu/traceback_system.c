/*
 * GOTRACEBACK=system: the runtime's frames too (the panic machinery above
 * fail_here, the blocked goroutine's park).
 *
 * cmdline: GOTRACEBACK=system
 * expect-exit: 2
 * expect-order: goroutine 1 [running]: | gort_panic(...) | fail_here(...) | goroutine 2 [chan receive]: | chanrecv(...) | blocked_worker(...)
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
