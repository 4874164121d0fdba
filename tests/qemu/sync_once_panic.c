/*
 * sync.Once after a panic, as in Go: when the function panics, Do counts
 * it as returned. The panic goes on to the caller (recovered here), later
 * Do calls return at once without calling the function again, and the
 * Once's lock is free (no deadlock).
 *
 * variant: smp2 --smp 2
 * expect-line: recovered: once failed
 * expect-line: once: 1 call, later Do calls returned
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static sync_Once once;
static int calls;

static void failing(void *arg)
{
	(void)arg;
	calls++;
	gort_panic("once failed");
}

static void do_once(void *arg)
{
	sync_Once_Do(&once, failing, arg);
}

int main(void)
{
	const gort_panicval_t *v = gort_pcall(do_once, NULL);
	printf("recovered: %s\n", v != NULL ? v->msg : "(nothing)");
	for (int i = 0; i < 3; i++)
		if (gort_pcall(do_once, NULL) != NULL)
			printf("FAIL: a later Do panicked\n");
	if (calls != 1)
		printf("FAIL: the function ran %d times\n", calls);
	else
		printf("once: 1 call, later Do calls returned\n");
	return 0;
}
