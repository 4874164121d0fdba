/*
 * GOTRACEBACK=all: every goroutine the program made, the blocked one with
 * its wait reason, where each was created; the runtime's own frames stay
 * hidden. With two CPUs the spinning goroutine's CPU is frozen for the
 * report and its stack shown.
 *
 * cmdline: GOTRACEBACK=all
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-order: goroutine 1 [running]: | fail_here(...) | goroutine 2 [chan receive]: | blocked_worker(...) | created by main in goroutine 1
 * expect-not-contains: chanrecv
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
