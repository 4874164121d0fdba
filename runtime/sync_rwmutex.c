/*
 * sync.RWMutex: Go's sync/rwmutex.go in C.
 *
 * readerCount counts the readers holding or acquiring the lock. A writer
 * first takes w (excluding other writers), then subtracts
 * RWMUTEX_MAX_READERS from readerCount, so arriving readers see a negative
 * count and sleep on readerSem; the readers that were active when it
 * arrived are moved into readerWait, and the last of them to leave wakes
 * the writer on writerSem. Unlock adds RWMUTEX_MAX_READERS back and wakes
 * exactly the readers that queued meanwhile, then releases w. So a pending
 * writer keeps new readers out and is not starved by a stream of them.
 */
#include <gort/sync.h>

#include "runtime/proc.h"
#include "runtime/sema.h"

#define RWMUTEX_MAX_READERS (1 << 30)

void sync_RWMutex_RLock(sync_RWMutex *rw)
{
	if (__atomic_add_fetch(&rw->readerCount, 1, __ATOMIC_ACQ_REL) < 0)
		semacquire(&rw->readerSem, false, "sync.RWMutex.RLock"); /* a writer is pending */
}

bool sync_RWMutex_TryRLock(sync_RWMutex *rw)
{
	int32_t c = __atomic_load_n(&rw->readerCount, __ATOMIC_RELAXED);
	while (c >= 0)
		if (__atomic_compare_exchange_n(&rw->readerCount, &c, c + 1, true, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

void sync_RWMutex_RUnlock(sync_RWMutex *rw)
{
	int32_t r = __atomic_sub_fetch(&rw->readerCount, 1, __ATOMIC_ACQ_REL);
	if (r >= 0)
		return;
	if (r + 1 == 0 || r + 1 == -RWMUTEX_MAX_READERS)
		gofatal("sync: RUnlock of unlocked RWMutex");
	/* A writer is pending: the last reader it waits for wakes it. */
	if (__atomic_sub_fetch(&rw->readerWait, 1, __ATOMIC_ACQ_REL) == 0)
		semrelease(&rw->writerSem, false);
}

void sync_RWMutex_Lock(sync_RWMutex *rw)
{
	sync_Mutex_Lock(&rw->w);
	int32_t r = __atomic_add_fetch(&rw->readerCount, -RWMUTEX_MAX_READERS, __ATOMIC_ACQ_REL) +
		    RWMUTEX_MAX_READERS;
	if (r != 0 && __atomic_add_fetch(&rw->readerWait, r, __ATOMIC_ACQ_REL) != 0)
		semacquire(&rw->writerSem, false, "sync.RWMutex.Lock");
}

bool sync_RWMutex_TryLock(sync_RWMutex *rw)
{
	if (!sync_Mutex_TryLock(&rw->w))
		return false;
	int32_t zero = 0;
	if (!__atomic_compare_exchange_n(&rw->readerCount, &zero, -RWMUTEX_MAX_READERS, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		sync_Mutex_Unlock(&rw->w);
		return false;
	}
	return true;
}

void sync_RWMutex_Unlock(sync_RWMutex *rw)
{
	int32_t r = __atomic_add_fetch(&rw->readerCount, RWMUTEX_MAX_READERS, __ATOMIC_ACQ_REL);
	if (r >= RWMUTEX_MAX_READERS)
		gofatal("sync: Unlock of unlocked RWMutex");
	for (int32_t i = 0; i < r; i++)
		semrelease(&rw->readerSem, false);
	sync_Mutex_Unlock(&rw->w);
}
