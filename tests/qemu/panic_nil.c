/*
 * panic(nil), unrecovered: since Go 1.21 the value is a
 * *runtime.PanicNilError, printed with its message.
 *
 * expect-exit: 2
 * expect-line: panic: panic called with nil argument
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	gort_panic_value(NULL);
	printf("FAIL: gort_panic_value returned\n");
	return 0;
}
