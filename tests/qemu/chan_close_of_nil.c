/*
 * Closing the nil channel panics with Go's message and status 2.
 *
 * expect-exit: 2
 * expect-line: panic: close of nil channel
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	chan_close(NULL);
	printf("FAIL: close of nil returned\n");
	return 0;
}
