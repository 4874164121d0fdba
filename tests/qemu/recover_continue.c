/*
 * gort_recover in a deferred call stops the panic. The deferred calls of
 * the scopes between the panic and the recovering scope run first; then
 * the recovering scope's other deferred calls run, execution continues
 * after that scope's block, and its function returns normally to its
 * caller. gort_recover returns NULL when nothing panics, when a function
 * the deferred call calls makes the call, in a deferred call that a scope
 * ending normally runs (even during a panic), and a second time in the
 * same deferred call. The explicit begin/end form resumes the same way,
 * its gort_scope_begin returning nonzero.
 *
 * expect-order: not panicking: nil | normal end during a panic: nil | g: deferred call
 * expect-order: g: deferred call | indirect: nil | recovered: boom | again: nil
 * expect-order: again: nil | f: remaining deferred call | after the recovering scope: step 1
 * expect-order: after the recovering scope: step 1 | f returned 42
 * expect-line: explicit: resumed after begin returned nonzero, deferred call ran
 * expect-line: panics after a recovery recover too: 3
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void say(void *s)
{
	printf("%s\n", (const char *)s);
}

static void recover_and_say(void *arg)
{
	(void)arg;
	const gort_panicval_t *r = gort_recover();
	printf("recovered: %s\n", r != NULL ? r->msg : "FAIL: nil");
	printf("again: %s\n", gort_recover() == NULL ? "nil" : "FAIL: recovered twice");
}

/* Neither call below is a tail call: a frame a tail call replaces is
 * invisible, and a helper that ends by calling gort_recover counts as its
 * caller (include/gort/panic.h). */
static __attribute__((noinline)) void helper_recover(void)
{
	const gort_panicval_t *r = gort_recover();
	printf("indirect: %s\n", r == NULL ? "nil" : "FAIL: recovered from a helper");
}

static void calls_helper(void *arg)
{
	helper_recover();
	*(volatile int *)arg = 1;
}

static void try_recover(void *arg)
{
	(void)arg;
	const gort_panicval_t *r = gort_recover();
	printf("normal end during a panic: %s\n", r == NULL ? "nil" : "FAIL: recovered");
}

/* A deferred call run by the panic, whose own scope ends normally. */
static void scope_ends_normally(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(try_recover, NULL);
	}
}

static void g(void)
{
	gort_scope {
		gort_defer(say, "g: deferred call");
		gort_defer(scope_ends_normally, NULL);
		gort_panic("boom");
	}
	printf("FAIL: g went on\n");
}

static volatile int helper_done;

static int f(void)
{
	volatile int step = 0;
	gort_scope {
		gort_defer(say, "f: remaining deferred call");
		gort_defer(recover_and_say, NULL);
		gort_defer(calls_helper, (void *)&helper_done);
		step = 1;
		g();
		step = 2;
		printf("FAIL: g returned\n");
	}
	printf("after the recovering scope: step %d\n", step);
	return 42;
}

static volatile bool explicit_deferred;

static void mark(void *arg)
{
	(void)arg;
	explicit_deferred = true;
}

static void recover_quietly(void *arg)
{
	(void)arg;
	gort_recover();
}

/* Returns whether gort_scope_begin returned nonzero after the recovery,
 * having returned 0 once before. */
static bool explicit_form(void)
{
	volatile int begins = 0;
	volatile bool resumed = false;
	gort_scope_t s;
	if (gort_scope_begin(&s) == 0) {
		begins++;
		gort_defer(mark, NULL);
		gort_defer(recover_quietly, NULL);
		gort_panic("explicit");
	} else {
		resumed = true;
	}
	gort_scope_end(&s);
	return begins == 1 && resumed;
}

static void panic_and_recover(int i)
{
	gort_scope {
		gort_defer(recover_quietly, NULL);
		gort_panic("round %d", i);
	}
}

int main(void)
{
	printf("not panicking: %s\n", gort_recover() == NULL ? "nil" : "FAIL");
	int r = f();
	printf("f returned %d\n", r);

	bool resumed = explicit_form();
	printf("explicit: %s, deferred call %s\n",
	       resumed ? "resumed after begin returned nonzero" : "FAIL: not resumed",
	       explicit_deferred ? "ran" : "FAIL: did not run");

	int n = 0;
	for (int i = 0; i < 3; i++) {
		panic_and_recover(i);
		n++;
	}
	printf("panics after a recovery recover too: %d\n", n);
	return 0;
}
