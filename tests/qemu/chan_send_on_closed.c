/*
 * Sending on a closed channel panics with Go's message: a goroutine sends
 * on a channel that main closes (while the send waits, or before it
 * starts), and the panic ends the program with status 2.
 *
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-line: sender started
 * expect-line: panic: send on closed channel
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static chan_t *c, *started;

static void sender(void *arg)
{
	(void)arg;
	int v = 1;
	chan_send(started, NULL);
	chan_send(c, &v);
	printf("FAIL: send on a closed channel returned\n");
}

int main(void)
{
	c = chan_make(sizeof(int), 0);
	started = chan_make(0, 0);
	go(sender, NULL);
	chan_recv(started, NULL);
	printf("sender started\n");
	chan_close(c);
	/* The sender panics when it wakes. */
	chan_recv(chan_make(0, 0), NULL);
	printf("FAIL: main woke\n");
	return 0;
}
