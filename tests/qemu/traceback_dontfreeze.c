/*
 * GODEBUG=dontfreezetheworld=1: the other CPU keeps running, and the
 * goroutine spinning there is reported as running elsewhere, its stack
 * unavailable, as Go prints it.
 *
 * cmdline: GOTRACEBACK=all GODEBUG=dontfreezetheworld=1
 * runner-args: --smp 2
 * expect-exit: 2
 * expect-order: goroutine 3 [running]: | goroutine running on other thread; stack unavailable | created by main in goroutine 1
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
