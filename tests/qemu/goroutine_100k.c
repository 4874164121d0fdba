/*
 * 100,000 goroutines exist at once: each parks on one channel, NumGoroutine
 * counts them all, closing the channel releases every one, and they all
 * finish (a WaitGroup). Each goroutine's stack is a reservation with one
 * page mapped, so 100k fit in this machine's memory.
 *
 * mem: 1G
 * timeout: 240
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: 100001 goroutines while parked
 * expect-line: all 100000 goroutines finished
 * expect-line: 1 goroutine left
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define N 100000

static chan_t *gate;
static sync_WaitGroup wg;
static sync_WaitGroup parked;
static int finished;

static void worker(void *arg)
{
	(void)arg;
	sync_WaitGroup_Done(&parked);
	bool ok = chan_recv(gate, NULL);
	if (ok)
		printf("FAIL: received a value from a closed channel\n");
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELAXED);
	sync_WaitGroup_Done(&wg);
}

int main(void)
{
	gate = chan_make(0, 0);
	sync_WaitGroup_Add(&wg, N);
	sync_WaitGroup_Add(&parked, N);
	for (int i = 0; i < N; i++)
		go(worker, NULL);
	sync_WaitGroup_Wait(&parked);
	printf("%d goroutines while parked\n", runtime_NumGoroutine());
	chan_close(gate);
	sync_WaitGroup_Wait(&wg);
	printf("all %d goroutines finished\n", __atomic_load_n(&finished, __ATOMIC_RELAXED));
	/* A goroutine is counted until it has exited, just after Done. */
	while (runtime_NumGoroutine() > 1)
		runtime_Gosched();
	printf("%d goroutine left\n", runtime_NumGoroutine());
	return 0;
}
