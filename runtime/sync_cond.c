/*
 * sync.Cond: Go's sync/cond.go in C, over the runtime's notify list
 * (sema.c). Wait takes a ticket while it still holds L, so a Signal or
 * Broadcast made after the waiter checked its condition under L always
 * reaches it, even if it comes before the waiter has parked. The checker
 * records the Cond's address on first use; a Cond found at another address
 * was copied, which Go reports with the panic "sync.Cond is copied".
 */
#include <gort/sync.h>

#include <gort/runtime.h>

#include "runtime/proc.h"
#include "runtime/sema.h"

static void check_copy(sync_Cond *c)
{
	uintptr_t self = (uintptr_t)&c->checker;
	uintptr_t zero = 0;
	if (__atomic_load_n(&c->checker, __ATOMIC_RELAXED) != self &&
	    !__atomic_compare_exchange_n(&c->checker, &zero, self, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED) &&
	    __atomic_load_n(&c->checker, __ATOMIC_RELAXED) != self)
		gopanic_string("sync.Cond is copied");
}

sync_Cond *sync_NewCond(sync_Mutex *l)
{
	sync_Cond *c = gort_new(sizeof *c);
	c->L = l;
	return c;
}

void sync_Cond_Wait(sync_Cond *c)
{
	check_copy(c);
	uint32_t t = notifyListAdd(&c->notify);
	sync_Mutex_Unlock(c->L);
	notifyListWait(&c->notify, t);
	sync_Mutex_Lock(c->L);
}

void sync_Cond_Signal(sync_Cond *c)
{
	check_copy(c);
	notifyListNotifyOne(&c->notify);
}

void sync_Cond_Broadcast(sync_Cond *c)
{
	check_copy(c);
	notifyListNotifyAll(&c->notify);
}
