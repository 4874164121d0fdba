/*
 * A Ticker needs a positive interval: NewTicker(0) panics with Go's
 * message and status 2 (Ticker.Reset's check is the same code path).
 *
 * expect-exit: 2
 * expect-line: panic: non-positive interval for NewTicker
 * expect-contains: goroutine 1 [running]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	time_NewTicker(0);
	printf("FAIL: NewTicker(0) returned\n");
	return 0;
}
