/*
 * Closing a channel twice panics with Go's message and status 2.
 *
 * expect-exit: 2
 * expect-line: closed once
 * expect-line: panic: close of closed channel
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	chan_t *c = chan_make(sizeof(int), 1);
	chan_close(c);
	printf("closed once\n");
	chan_close(c);
	printf("FAIL: second close returned\n");
	return 0;
}
