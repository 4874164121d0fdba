/*
 * A value the program made, with no message, prints as Go prints a
 * pointer of a type it cannot name: its type and address.
 *
 * expect-exit: 2
 * expect-contains: panic: (void *) 0x
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static int payload;
static const gort_panicval_t value = {.kind = GORT_PANIC_VALUE, .value = &payload};

int main(void)
{
	gort_panic_value(&value);
	printf("FAIL: gort_panic_value returned\n");
	return 0;
}
