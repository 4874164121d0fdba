/*
 * A deferred call that recovers the panic and then panics with another
 * value, which nothing recovers. The report shows the recovered panic,
 * marked, then the new one.
 *
 * expect-exit: 2
 * expect-line: panic: first panic [recovered]
 * expect-line: "	panic: second panic"
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void recover_and_panic(void *arg)
{
	(void)arg;
	if (gort_recover() == NULL)
		printf("FAIL: nothing to recover\n");
	gort_panic("second panic");
}

int main(void)
{
	gort_scope {
		gort_defer(recover_and_panic, NULL);
		gort_panic("first panic");
	}
	printf("FAIL: main went on\n");
	return 0;
}
