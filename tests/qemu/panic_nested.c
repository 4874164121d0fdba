/*
 * A deferred call that panics while a panic runs it: the new panic takes
 * over (the rest of the deferred calls run), and when nothing recovers,
 * Go's report names both, oldest first, the second after a tab.
 *
 * expect-exit: 2
 * expect-order: still runs | panic: first | panic: second | goroutine 1 [running]:
 * expect-line: panic: first
 * expect-line: "	panic: second"
 * expect-not-contains: [recovered]
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void say(void *s)
{
	printf("%s\n", (const char *)s);
}

static void second(void *arg)
{
	(void)arg;
	gort_panic("second");
}

int main(void)
{
	gort_scope {
		gort_defer(say, "still runs");
		gort_defer(second, NULL);
		gort_panic("first");
	}
	printf("FAIL: main went on\n");
	return 0;
}
