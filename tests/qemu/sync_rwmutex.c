/*
 * A sync_RWMutex admits many readers at once and one writer alone:
 * readers on every CPU check that no writer is inside and that the data a
 * writer updates is consistent; writers check that nobody else is inside;
 * every write is counted. TryLock and TryRLock follow the lock's state.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: writes 2000 of 2000, readers never saw a writer or torn data
 * expect-line: TryLock/TryRLock: ok
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define READERS 8
#define WRITERS 4
#define READS   4000
#define WRITES  500

static sync_RWMutex rw;
static int readers_in, writers_in, errors;
static volatile long a, b; /* a writer keeps a == b */
static long writes;
static chan_t *done;

static void reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < READS; i++) {
		sync_RWMutex_RLock(&rw);
		__atomic_add_fetch(&readers_in, 1, __ATOMIC_RELAXED);
		if (__atomic_load_n(&writers_in, __ATOMIC_RELAXED) != 0 || a != b)
			__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_RELAXED);
		sync_RWMutex_RUnlock(&rw);
	}
	chan_send(done, NULL);
}

static void writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < WRITES; i++) {
		sync_RWMutex_Lock(&rw);
		if (__atomic_add_fetch(&writers_in, 1, __ATOMIC_RELAXED) != 1 ||
		    __atomic_load_n(&readers_in, __ATOMIC_RELAXED) != 0)
			__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
		a = a + 1;
		writes++;
		b = b + 1;
		__atomic_sub_fetch(&writers_in, 1, __ATOMIC_RELAXED);
		sync_RWMutex_Unlock(&rw);
	}
	chan_send(done, NULL);
}

int main(void)
{
	done = chan_make(0, 0);
	for (int i = 0; i < READERS; i++)
		go(reader, NULL);
	for (int i = 0; i < WRITERS; i++)
		go(writer, NULL);
	for (int i = 0; i < READERS + WRITERS; i++)
		chan_recv(done, NULL);
	printf("writes %ld of %d, %s\n", writes, WRITERS * WRITES,
	       writes == WRITERS * WRITES && errors == 0 ? "readers never saw a writer or torn data"
							 : "FAIL");

	sync_RWMutex m = {0};
	bool ok =
	    sync_RWMutex_TryRLock(&m) && sync_RWMutex_TryRLock(&m) && !sync_RWMutex_TryLock(&m);
	sync_RWMutex_RUnlock(&m);
	sync_RWMutex_RUnlock(&m);
	ok = ok && sync_RWMutex_TryLock(&m) && !sync_RWMutex_TryRLock(&m) &&
	     !sync_RWMutex_TryLock(&m);
	sync_RWMutex_Unlock(&m);
	sync_RWMutex_RLock(&m);
	sync_RWMutex_RUnlock(&m);
	ok = ok && sync_RWMutex_TryLock(&m);
	sync_RWMutex_Unlock(&m);
	printf("TryLock/TryRLock: %s\n", ok ? "ok" : "FAIL");
	return 0;
}
