/*
 * main blocks receiving from a channel nobody sends to, while the only
 * other goroutine blocks forever on the nil channel: the scheduler finds
 * every goroutine asleep and reports Go's deadlock with each one's wait
 * reason, exit status 2.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-exit: 2
 * expect-line: fatal error: all goroutines are asleep - deadlock!
 * expect-contains: goroutine 1 [chan receive]:
 * expect-contains: [chan send (nil chan)]:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static void nil_sender(void *arg)
{
	(void)arg;
	int v = 1;
	chan_send(NULL, &v);
	printf("FAIL: send on nil returned\n");
}

int main(void)
{
	go(nil_sender, NULL);
	chan_t *c = chan_make(sizeof(int), 0);
	int v;
	chan_recv(c, &v);
	printf("FAIL: receive returned\n");
	return 0;
}
