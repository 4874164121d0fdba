/*
 * A sync_Mutex keeps a plain counter exact while many goroutines on every
 * CPU increment it (a read, some work, a write: any overlap would lose
 * updates), and the holder count inside the critical section never
 * exceeds one. TryLock fails on a held mutex and succeeds on a free one.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: counter 160000 of 160000, never two holders
 * expect-line: TryLock: ok
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define WORKERS 16
#define ITERS   10000

static sync_Mutex mu;
static volatile long counter;
static int holders, overlaps;
static chan_t *done;

static void worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITERS; i++) {
		sync_Mutex_Lock(&mu);
		if (__atomic_add_fetch(&holders, 1, __ATOMIC_RELAXED) != 1)
			overlaps++;
		long n = counter;
		for (int k = 0; k < i % 8; k++)
			__asm__ volatile("" ::: "memory");
		counter = n + 1;
		__atomic_sub_fetch(&holders, 1, __ATOMIC_RELAXED);
		sync_Mutex_Unlock(&mu);
		if (i % 1000 == 0)
			runtime_Gosched();
	}
	chan_send(done, NULL);
}

int main(void)
{
	done = chan_make(0, 0);
	for (int i = 0; i < WORKERS; i++)
		go(worker, NULL);
	for (int i = 0; i < WORKERS; i++)
		chan_recv(done, NULL);
	printf("counter %ld of %d, %s\n", counter, WORKERS * ITERS,
	       counter == WORKERS * ITERS && overlaps == 0 ? "never two holders" : "FAIL");

	sync_Mutex m = {0};
	bool ok = sync_Mutex_TryLock(&m) && !sync_Mutex_TryLock(&m);
	sync_Mutex_Unlock(&m);
	ok = ok && sync_Mutex_TryLock(&m);
	sync_Mutex_Unlock(&m);
	sync_Mutex_Lock(&m);
	ok = ok && !sync_Mutex_TryLock(&m);
	sync_Mutex_Unlock(&m);
	printf("TryLock: %s\n", ok ? "ok" : "FAIL");
	return 0;
}
