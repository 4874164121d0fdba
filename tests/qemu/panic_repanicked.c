/*
 * Panicking again with the very value gort_recover returned (Go's
 * panic(recover())) prints that value once, marked as Go 1.25 does.
 *
 * expect-exit: 2
 * expect-line: panic: message [recovered, repanicked]
 * expect-not-contains: "	panic:"
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void repanic(void *arg)
{
	(void)arg;
	gort_panic_value(gort_recover());
}

int main(void)
{
	gort_scope {
		gort_defer(repanic, NULL);
		gort_panic("message");
	}
	printf("FAIL: main went on\n");
	return 0;
}
