/*
 * parked: the gort side of the "parked" benchmark workload.
 *
 * It reads MemStats.Sys, starts 100k goroutines that each block receiving
 * from one channel, waits until all are parked, reads Sys again and prints
 * the physical memory one parked goroutine costs in bytes. The Go twin is
 * bench/go/parked/main.go.
 */
#include <gort.h>
#include <stdio.h>

enum {
	GOROUTINES = 100000,
};

static chan_t *gate;
static sync_WaitGroup started;

static void parked(void *arg)
{
	(void)arg;
	sync_WaitGroup_Done(&started);
	chan_recv(gate, NULL);
}

int main(void)
{
	static runtime_MemStats before, after;
	gate = chan_make(0, 0);
	runtime_ReadMemStats(&before);
	sync_WaitGroup_Add(&started, GOROUTINES);
	for (int i = 0; i < GOROUTINES; i++)
		go(parked, NULL);
	sync_WaitGroup_Wait(&started);
	while (runtime_NumGoroutine() < GOROUTINES + 1)
		runtime_Gosched();
	runtime_ReadMemStats(&after);
	printf("gort-bench: parked-bytes %.1f\n", (double)(after.Sys - before.Sys) / GOROUTINES);
	chan_close(gate);
	return 0;
}
