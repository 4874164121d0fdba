/*
 * Three nested functions, each with a deferred call: the innermost panics
 * "inner"; its deferred call recovers and panics "middle"; the next one
 * recovers and panics with that same value again; the outermost recovers
 * and panics "outer". Go's report: each still-running panic in order,
 * the re-panicked value once, marked (Go's RepanickedMiddlePanic).
 *
 * expect-exit: 2
 * expect-line: panic: inner [recovered]
 * expect-line: "	panic: middle [recovered, repanicked]"
 * expect-line: "	panic: outer"
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void recover_then_outer(void *arg)
{
	(void)arg;
	gort_recover();
	gort_panic("outer");
}

static void recover_then_same(void *arg)
{
	(void)arg;
	gort_panic_value(gort_recover());
}

static void recover_then_middle(void *arg)
{
	(void)arg;
	gort_recover();
	gort_panic("middle");
}

static void innermost(void)
{
	gort_scope {
		gort_defer(recover_then_middle, NULL);
		gort_panic("inner");
	}
}

static void middle(void)
{
	gort_scope {
		gort_defer(recover_then_same, NULL);
		innermost();
	}
}

int main(void)
{
	gort_scope {
		gort_defer(recover_then_outer, NULL);
		middle();
	}
	printf("FAIL: main went on\n");
	return 0;
}
