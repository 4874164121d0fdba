/*
 * sync.Once: Go's sync/once.go in C. The fast path is one atomic load of
 * done; the first callers serialize on m, and done is set (with release
 * order) only after fn has returned, so every Do that returns has seen fn's
 * effects. As in Go, fn counts as returned when it panics: deferred calls
 * set done and unlock m, so a recovered panic neither leaves m locked nor
 * lets fn run again.
 */
#include <gort/panic.h>
#include <gort/sync.h>

static void once_unlock(void *m)
{
	sync_Mutex_Unlock(m);
}

static void once_done(void *o)
{
	__atomic_store_n(&((sync_Once *)o)->done, 1, __ATOMIC_RELEASE);
}

void sync_Once_Do(sync_Once *o, void (*fn)(void *arg), void *arg)
{
	if (__atomic_load_n(&o->done, __ATOMIC_ACQUIRE) != 0)
		return;
	gort_scope {
		sync_Mutex_Lock(&o->m);
		gort_defer(once_unlock, &o->m);
		if (o->done == 0) {
			gort_defer(once_done, o);
			fn(arg);
		}
	}
}
