/*
 * More Done calls than Add makes the WaitGroup counter negative: Go's
 * panic "sync: negative WaitGroup counter", exit status 2.
 *
 * expect-exit: 2
 * expect-line: balanced
 * expect-line: panic: sync: negative WaitGroup counter
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	sync_WaitGroup wg = {0};
	sync_WaitGroup_Add(&wg, 2);
	sync_WaitGroup_Done(&wg);
	sync_WaitGroup_Done(&wg);
	printf("balanced\n");
	sync_WaitGroup_Done(&wg);
	printf("FAIL: negative counter accepted\n");
	return 0;
}
