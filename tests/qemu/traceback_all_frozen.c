/*
 * GOTRACEBACK=all on two CPUs: the fatal report freezes the other CPU, so
 * the goroutine spinning there is shown running, with its frames (walked
 * through the interrupt that froze it).
 *
 * cmdline: GOTRACEBACK=all
 * runner-args: --smp 2
 * expect-exit: 2
 * expect-order: goroutine 3 [running]: | spin_loop(...) | spinner(...) | created by main in goroutine 1
 * expect-not-contains: stack unavailable
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
