/*
 * panic(nil) recovered: since Go 1.21 the value is never nil but a
 * *runtime.PanicNilError, a runtime error with Go's message.
 *
 * expect-line: recovered: a nil-panic error, "panic called with nil argument"
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void panic_nil(void *arg)
{
	(void)arg;
	gort_panic_value(NULL);
}

int main(void)
{
	const gort_panicval_t *r = gort_pcall(panic_nil, NULL);
	if (r == NULL) {
		printf("FAIL: recovered nil\n");
		return 1;
	}
	printf("recovered: %s, \"%s\"\n",
	       r->kind == GORT_PANIC_NIL_ERROR ? "a nil-panic error" : "FAIL: wrong kind", r->msg);
	return 0;
}
