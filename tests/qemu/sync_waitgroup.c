/*
 * sync_WaitGroup_Wait returns only after every Done: 100 goroutines on
 * every CPU each record their work and call Done while main and three
 * more waiters wait; every waiter sees all the work. The group is reused
 * for ten rounds, and Wait on a zero counter returns at once.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: 10 rounds: every waiter saw 100 of 100 done
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define WORKERS 100
#define ROUNDS  10
#define WAITERS 3

static sync_WaitGroup wg;
static int work;
static chan_t *seen;

static void worker(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&work, 1, __ATOMIC_RELAXED);
	sync_WaitGroup_Done(&wg);
}

static void waiter(void *arg)
{
	(void)arg;
	sync_WaitGroup_Wait(&wg);
	int w = __atomic_load_n(&work, __ATOMIC_RELAXED);
	chan_send(seen, &w);
}

int main(void)
{
	seen = chan_make(sizeof(int), 0);
	int bad = 0;
	for (int round = 0; round < ROUNDS; round++) {
		__atomic_store_n(&work, 0, __ATOMIC_RELAXED);
		sync_WaitGroup_Add(&wg, WORKERS);
		for (int i = 0; i < WAITERS; i++)
			go(waiter, NULL);
		for (int i = 0; i < WORKERS; i++)
			go(worker, NULL);
		sync_WaitGroup_Wait(&wg);
		bad += __atomic_load_n(&work, __ATOMIC_RELAXED) != WORKERS;
		for (int i = 0; i < WAITERS; i++) {
			int w;
			chan_recv(seen, &w);
			bad += w != WORKERS;
		}
	}
	sync_WaitGroup_Wait(&wg);
	if (bad == 0)
		printf("%d rounds: every waiter saw %d of %d done\n", ROUNDS, WORKERS, WORKERS);
	else
		printf("FAIL: %d waiters returned early\n", bad);
	return 0;
}
