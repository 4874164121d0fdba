/*
 * gort_defer needs an open scope to add to: outside every scope it
 * panics, and the panic is a runtime error like the runtime's others.
 *
 * expect-exit: 2
 * expect-line: panic: gort_defer called outside a gort_scope
 * expect-line: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void never(void *arg)
{
	(void)arg;
	printf("FAIL: the deferred call ran\n");
}

int main(void)
{
	gort_defer(never, NULL);
	printf("FAIL: gort_defer returned\n");
	return 0;
}
