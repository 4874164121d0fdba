/*
 * With GODEBUG=panicnil=1, panic(nil) panics with nil, as before Go 1.21:
 * gort_recover returns NULL, yet it stops the panic, and execution goes on
 * after the recovering scope; gort_pcall returns NULL for it.
 *
 * cmdline: GODEBUG=panicnil=1
 * expect-line: deferred call: recover returned NULL
 * expect-line: after the scope: the panic stopped
 * expect-line: gort_pcall: NULL, fn stopped at the panic
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void recover_nil(void *arg)
{
	(void)arg;
	printf("deferred call: recover returned %s\n", gort_recover() == NULL ? "NULL" : "FAIL");
}

static volatile bool finished;

static void panic_nil(void *arg)
{
	(void)arg;
	gort_panic_value(NULL);
	finished = true;
}

int main(void)
{
	gort_scope {
		gort_defer(recover_nil, NULL);
		gort_panic_value(NULL);
		printf("FAIL: gort_panic_value returned\n");
	}
	printf("after the scope: the panic stopped\n");

	const gort_panicval_t *r = gort_pcall(panic_nil, NULL);
	printf("gort_pcall: %s, fn %s\n", r == NULL ? "NULL" : "FAIL",
	       finished ? "FAIL: finished" : "stopped at the panic");
	return 0;
}
