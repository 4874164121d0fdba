/*
 * sync.WaitGroup: Go's sync/waitgroup.go in C.
 *
 * state holds the counter in its high 32 bits and the number of waiters
 * in its low 32, so Add and Wait see both in one atomic word. Wait
 * registers itself by incrementing the low half (only while the counter is
 * not zero) and sleeps on sema. The Add that brings the counter to zero
 * resets state to 0 and releases sema once per waiter. Go's misuse panics:
 * a negative counter, an Add from zero racing with a Wait, and reuse of the
 * group before a previous Wait has returned.
 */
#include <gort/sync.h>

#include "runtime/proc.h"
#include "runtime/sema.h"

void sync_WaitGroup_Add(sync_WaitGroup *wg, int delta)
{
	uint64_t state =
	    __atomic_add_fetch(&wg->state, (uint64_t)(int64_t)delta << 32, __ATOMIC_SEQ_CST);
	int32_t v = (int32_t)(state >> 32);
	uint32_t w = (uint32_t)state;
	if (v < 0)
		gopanic_string("sync: negative WaitGroup counter");
	if (w != 0 && delta > 0 && v == delta)
		gopanic_string("sync: WaitGroup misuse: Add called concurrently with Wait");
	if (v > 0 || w == 0)
		return;
	/* The counter is 0 and there are waiters: nobody may change state
	 * now but us (Adds from 0 must happen-before Wait). */
	if (__atomic_load_n(&wg->state, __ATOMIC_SEQ_CST) != state)
		gopanic_string("sync: WaitGroup misuse: Add called concurrently with Wait");
	__atomic_store_n(&wg->state, 0, __ATOMIC_SEQ_CST);
	for (; w != 0; w--)
		semrelease(&wg->sema, false);
}

void sync_WaitGroup_Done(sync_WaitGroup *wg)
{
	sync_WaitGroup_Add(wg, -1);
}

void sync_WaitGroup_Wait(sync_WaitGroup *wg)
{
	uint64_t state = __atomic_load_n(&wg->state, __ATOMIC_SEQ_CST);
	for (;;) {
		if ((int32_t)(state >> 32) == 0)
			return;
		if (__atomic_compare_exchange_n(&wg->state, &state, state + 1, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			semacquire(&wg->sema, false, "sync.WaitGroup.Wait");
			if (__atomic_load_n(&wg->state, __ATOMIC_SEQ_CST) != 0)
				gopanic_string("sync: WaitGroup is reused before previous Wait has "
					       "returned");
			return;
		}
	}
}
