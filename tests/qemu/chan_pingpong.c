/*
 * Two goroutines play ping-pong over two unbuffered channels: each round
 * one sends i and the other answers -i, for many rounds, with every value
 * checked; main waits for both on a third channel. With several CPUs the
 * two players usually run on different ones, so each hand-off wakes a
 * goroutine on another CPU.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: ping: 20000 rounds, values intact
 * expect-line: pong: 20000 rounds, values intact
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define ROUNDS 20000

static chan_t *ping, *pong, *done;

static void pinger(void *arg)
{
	(void)arg;
	int bad = 0;
	for (int i = 0; i < ROUNDS; i++) {
		long v = i;
		chan_send(ping, &v);
		if (!chan_recv(pong, &v) || v != -(long)i)
			bad++;
	}
	chan_send(done, &bad);
}

static void ponger(void *arg)
{
	(void)arg;
	int bad = 0;
	for (int i = 0; i < ROUNDS; i++) {
		long v;
		if (!chan_recv(ping, &v) || v != i)
			bad++;
		v = -v;
		chan_send(pong, &v);
	}
	chan_send(done, &bad);
}

int main(void)
{
	ping = chan_make(sizeof(long), 0);
	pong = chan_make(sizeof(long), 0);
	done = chan_make(sizeof(int), 0);
	go(pinger, NULL);
	go(ponger, NULL);
	for (int i = 0; i < 2; i++) {
		int bad;
		chan_recv(done, &bad);
		if (bad != 0)
			printf("FAIL: %d wrong values\n", bad);
	}
	printf("ping: %d rounds, values intact\n", ROUNDS);
	printf("pong: %d rounds, values intact\n", ROUNDS);
	return 0;
}
