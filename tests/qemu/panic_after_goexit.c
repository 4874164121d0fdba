/*
 * A deferred call run by Goexit panics and nothing recovers it: the report
 * is that panic alone (a Goexit prints nothing, and no tab follows it), as
 * in Go's PanicAfterGoexit.
 *
 * expect-exit: 2
 * expect-line: panic: hello
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void panics(void *arg)
{
	(void)arg;
	gort_panic("hello");
}

int main(void)
{
	gort_scope {
		gort_defer(panics, NULL);
		runtime_Goexit();
	}
	printf("FAIL: main went on\n");
	return 0;
}
