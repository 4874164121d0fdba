/*
 * Goroutines sleeping different durations wake in the order of their
 * durations, each after at least its duration: SLEEPERS goroutines,
 * started in a shuffled order, each sleep until GAP * i after a common
 * start (their timers sit on the heaps of whichever CPUs they ran on) and
 * send i on a channel when they wake; the receive order is the wake order.
 * Sleep with a duration of zero or less returns at once. Argument
 * "shrink": GOMAXPROCS drops to 1 while they sleep (their timers move to
 * P 0's heap) and comes back before the last wakes.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * variant: smp4shrink --smp 4 --cmdline "-- shrink"
 * expect-line: sleep(0) and sleep(-1) returned
 * expect-line: woke in order of duration
 * expect-line: each slept at least its duration
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <gort/chan.h>
#include <stdio.h>
#include <string.h>

#include "tests/xorshift.h"

/* The gap is wide because an emulated CPU can stall for tens of
 * milliseconds on a loaded host: timers that come due during a stall fire
 * together, and the goroutines they ready need not run in order. */
#define SLEEPERS 12
#define GAP      (100 * time_Millisecond)

struct sleeper {
	int i;
	time_Time start;
	chan_t *go;          /* closed to start every sleeper at once */
	chan_t *woken;       /* of int: who woke, in order */
	time_Duration began; /* when it began to sleep, after start */
	time_Duration woke;  /* when it woke, after start */
};

static struct sleeper sleepers[SLEEPERS];

static void sleep_then_report(void *arg)
{
	struct sleeper *s = arg;
	chan_recv(s->go, NULL);
	s->began = time_Since(s->start);
	time_Sleep(GAP * (s->i + 1) - time_Since(s->start));
	s->woke = time_Since(s->start);
	chan_send(s->woken, &s->i);
}

int main(int argc, char **argv)
{
	time_Sleep(0);
	time_Sleep(-time_Second);
	printf("sleep(0) and sleep(-1) returned\n");

	int order[SLEEPERS];
	for (int i = 0; i < SLEEPERS; i++)
		order[i] = i;
	uint64_t rng = XORSHIFT_SEED;
	for (int i = SLEEPERS - 1; i > 0; i--) {
		int j = (int)(xorshift64(&rng) % (uint64_t)(i + 1));
		int tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}

	chan_t *start = chan_make(0, 0);
	chan_t *woken = chan_make(sizeof(int), SLEEPERS);
	time_Time t0 = time_Now();
	for (int k = 0; k < SLEEPERS; k++) {
		struct sleeper *s = &sleepers[order[k]];
		*s = (struct sleeper){.i = order[k], .start = t0, .go = start, .woken = woken};
		go(sleep_then_report, s);
	}
	chan_close(start);
	if (argc > 1 && strcmp(argv[1], "shrink") == 0) {
		time_Sleep(GAP / 2);
		int procs = runtime_GOMAXPROCS(1);
		time_Sleep(GAP * SLEEPERS / 2);
		runtime_GOMAXPROCS(procs);
	}

	bool in_order = true, long_enough = true;
	for (int k = 0; k < SLEEPERS; k++) {
		int i;
		chan_recv(woken, &i);
		if (i != k) {
			printf("FAIL: wake %d was sleeper %d\n", k, i);
			in_order = false;
		}
	}
	for (int i = 0; i < SLEEPERS; i++) {
		time_Duration late = sleepers[i].woke - GAP * (i + 1);
		if (late < 0)
			long_enough = false;
		if (late < 0 || !in_order)
			printf("%s: sleeper %d began at %lld us, woke %lld us after its time\n",
			       late < 0 ? "FAIL" : "note", i,
			       (long long)(sleepers[i].began / time_Microsecond),
			       (long long)(late / time_Microsecond));
	}
	if (in_order)
		printf("woke in order of duration\n");
	if (long_enough && time_Since(t0) >= GAP * SLEEPERS)
		printf("each slept at least its duration\n");
	return 0;
}
