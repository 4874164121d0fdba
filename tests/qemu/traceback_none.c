/*
 * GOTRACEBACK=none: the panic line alone, no goroutine traceback; exit
 * status 2.
 *
 * cmdline: GOTRACEBACK=none
 * expect-exit: 2
 * expect-line: panic: traceback level test 2
 * expect-not-contains: goroutine 1
 * expect-not-contains: FAIL
 */
#include "tests/qemu/traceback_program.h"
