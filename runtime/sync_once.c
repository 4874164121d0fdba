/*
 * sync.Once: Go's sync/once.go in C. The fast path is one atomic load of
 * done; the first callers serialize on m, and done is set (with release
 * order) only after fn has returned, so every Do that returns has seen fn's
 * effects.
 */
#include <gort/sync.h>

void sync_Once_Do(sync_Once *o, void (*fn)(void *arg), void *arg)
{
	if (__atomic_load_n(&o->done, __ATOMIC_ACQUIRE) != 0)
		return;
	sync_Mutex_Lock(&o->m);
	if (o->done == 0) {
		fn(arg);
		__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
	}
	sync_Mutex_Unlock(&o->m);
}
