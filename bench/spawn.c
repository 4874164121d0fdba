/*
 * spawn: the gort side of the "spawn" benchmark workload.
 *
 * main starts 1M goroutines that each call Done on one WaitGroup, waits
 * for them all, and prints the mean cost of one goroutine (start, run,
 * exit and join) in nanoseconds. The Go twin is bench/go/spawn/main.go.
 */
#include <gort.h>
#include <stdio.h>

enum {
	GOROUTINES = 1000000,
};

static sync_WaitGroup wg;

static void done(void *arg)
{
	(void)arg;
	sync_WaitGroup_Done(&wg);
}

int main(void)
{
	time_Time start = time_Now();
	sync_WaitGroup_Add(&wg, GOROUTINES);
	for (int i = 0; i < GOROUTINES; i++)
		go(done, NULL);
	sync_WaitGroup_Wait(&wg);
	time_Duration elapsed = time_Since(start);
	printf("gort-bench: spawn-ns %.1f\n", (double)elapsed / GOROUTINES);
	return 0;
}
