/*
 * GOTRACEBACK unset (single): the panicking goroutine's frames, the
 * program's only, and no other goroutine.
 *
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-order: panic: traceback level test 2 | goroutine 1 [running]: | fail_here(...) | fail_above(...) | main(...)
 * expect-not-contains: blocked_worker
 * expect-not-contains: gopanic
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
