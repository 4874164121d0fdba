/*
 * pingpong: the gort side of the "pingpong" benchmark workload.
 *
 * Two goroutines pass an integer back and forth over two unbuffered
 * channels 200k times; main prints the mean round trip in nanoseconds.
 * The Go twin is bench/go/pingpong/main.go.
 */
#include <gort.h>
#include <stdio.h>

enum {
	ROUND_TRIPS = 200000,
};

static chan_t *ping, *pong;

static void echo(void *arg)
{
	(void)arg;
	int v;
	while (chan_recv(ping, &v))
		chan_send(pong, &v);
}

int main(void)
{
	ping = chan_make(sizeof(int), 0);
	pong = chan_make(sizeof(int), 0);
	go(echo, NULL);
	int v = 0;
	time_Time start = time_Now();
	for (int i = 0; i < ROUND_TRIPS; i++) {
		chan_send(ping, &i);
		chan_recv(pong, &v);
	}
	time_Duration elapsed = time_Since(start);
	chan_close(ping);
	if (v != ROUND_TRIPS - 1)
		printf("pingpong: wrong value %d\n", v);
	printf("gort-bench: pingpong-ns %.1f\n", (double)elapsed / ROUND_TRIPS);
	return 0;
}
