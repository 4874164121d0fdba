/*
 * An unrecovered panic runs every deferred call first, innermost scope
 * first and each scope's newest first, through the scopes of the calling
 * functions, and only then prints Go's report and exits with status 2.
 *
 * expect-exit: 2
 * expect-order: inner 2 | inner 1 | middle 1 | outer 2 | outer 1 | panic: boom 42
 * expect-order: panic: boom 42 | goroutine 1 [running]:
 * expect-line: panic: boom 42
 * expect-line: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void say(void *s)
{
	printf("%s\n", (const char *)s);
}

static void inner(void)
{
	gort_scope {
		gort_defer(say, "inner 1");
		gort_defer(say, "inner 2");
		gort_panic("boom %d", 42);
	}
	printf("FAIL: inner went on\n");
}

static void middle(void)
{
	gort_scope {
		gort_defer(say, "middle 1");
		inner();
	}
	printf("FAIL: middle went on\n");
}

int main(void)
{
	gort_scope {
		gort_defer(say, "outer 1");
		gort_defer(say, "outer 2");
		middle();
	}
	printf("FAIL: main went on\n");
	return 0;
}
