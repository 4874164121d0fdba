/*
 * sync.Mutex: Go's sync/mutex.go in C.
 *
 * state packs three flags and a count: mutexLocked (held), mutexWoken (a
 * waiter has been woken or is spinning, so Unlock need not wake another),
 * mutexStarving, and above mutexWaiterShift the number of goroutines
 * asleep on sema.
 *
 * Normal mode: waiters queue FIFO, but a woken waiter competes with
 * goroutines arriving right now (which are on a CPU and usually win); a
 * loser goes back to the head of the queue (semacquire's lifo). An
 * arriving goroutine may spin briefly (iter < MUTEX_SPINS, 30 cpu_relax
 * each) when GOMAXPROCS > 1 and the mutex is held, hoping the holder
 * releases it soon; a spinner sets mutexWoken so Unlock does not wake a
 * sleeper needlessly.
 *
 * Starvation mode: a waiter that has waited more than 1 ms sets
 * mutexStarving; Unlock then hands the mutex directly to the first waiter
 * (semrelease with handoff) and arriving goroutines neither take it nor
 * spin but queue at the tail. The last waiter, or one that waited less
 * than 1 ms, switches back to normal mode.
 */
#include <gort/sync.h>

#include <gort/runtime.h>

#include "kernel/clock.h"
#include "runtime/proc.h"
#include "runtime/sema.h"

#define MUTEX_LOCKED       1
#define MUTEX_WOKEN        2
#define MUTEX_STARVING     4
#define MUTEX_WAITER_SHIFT 3
/* Go's starvationThresholdNs. */
#define STARVATION_THRESHOLD_NS 1000000
/* Go's active_spin and active_spin_cnt. */
#define MUTEX_SPINS        4
#define MUTEX_SPIN_RELAXES 30

static bool cas32(int32_t *p, int32_t old, int32_t next)
{
	return __atomic_compare_exchange_n(p, &old, next, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

static int32_t load32(int32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Go's sync_runtime_canSpin: spinning pays only if another CPU can run
 * the holder, and only for a short while. */
static bool can_spin(int iter)
{
	return iter < MUTEX_SPINS && runtime_GOMAXPROCS(0) > 1;
}

static void do_spin(void)
{
	for (int i = 0; i < MUTEX_SPIN_RELAXES; i++)
		arch_cpu_relax();
}

bool sync_Mutex_TryLock(sync_Mutex *m)
{
	int32_t old = load32(&m->state);
	if (old & (MUTEX_LOCKED | MUTEX_STARVING))
		return false;
	return cas32(&m->state, old, old | MUTEX_LOCKED);
}

static void lock_slow(sync_Mutex *m)
{
	uint64_t wait_start = 0;
	bool starving = false;
	bool awoke = false;
	int iter = 0;
	int32_t old = load32(&m->state);
	for (;;) {
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == MUTEX_LOCKED && can_spin(iter)) {
			if (!awoke && !(old & MUTEX_WOKEN) && (old >> MUTEX_WAITER_SHIFT) != 0 &&
			    cas32(&m->state, old, old | MUTEX_WOKEN))
				awoke = true;
			do_spin();
			iter++;
			old = load32(&m->state);
			continue;
		}
		int32_t next = old;
		if (!(old & MUTEX_STARVING))
			next |= MUTEX_LOCKED;
		if (old & (MUTEX_LOCKED | MUTEX_STARVING))
			next += 1 << MUTEX_WAITER_SHIFT;
		if (starving && (old & MUTEX_LOCKED))
			next |= MUTEX_STARVING;
		if (awoke) {
			if (!(next & MUTEX_WOKEN))
				gofatal("sync: inconsistent mutex state");
			next &= ~MUTEX_WOKEN;
		}
		if (!cas32(&m->state, old, next)) {
			old = load32(&m->state);
			continue;
		}
		if (!(old & (MUTEX_LOCKED | MUTEX_STARVING)))
			break; /* locked with CAS */
		bool lifo = wait_start != 0;
		if (wait_start == 0)
			wait_start = nanotime();
		semacquire(&m->sema, lifo, "sync.Mutex.Lock");
		starving = starving || nanotime() - wait_start > STARVATION_THRESHOLD_NS;
		old = load32(&m->state);
		if (old & MUTEX_STARVING) {
			/* Handed off: the mutex is ours, but state still counts
			 * us as a waiter and does not say it is locked. */
			if ((old & (MUTEX_LOCKED | MUTEX_WOKEN)) ||
			    (old >> MUTEX_WAITER_SHIFT) == 0)
				gofatal("sync: inconsistent mutex state");
			int32_t delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT);
			if (!starving || (old >> MUTEX_WAITER_SHIFT) == 1)
				delta -= MUTEX_STARVING; /* leave starvation mode */
			__atomic_add_fetch(&m->state, delta, __ATOMIC_ACQ_REL);
			break;
		}
		awoke = true;
		iter = 0;
	}
}

void sync_Mutex_Lock(sync_Mutex *m)
{
	if (cas32(&m->state, 0, MUTEX_LOCKED))
		return;
	lock_slow(m);
}

static void unlock_slow(sync_Mutex *m, int32_t state)
{
	if (!((state + MUTEX_LOCKED) & MUTEX_LOCKED))
		gofatal("sync: unlock of unlocked mutex");
	if (state & MUTEX_STARVING) {
		/* Hand the mutex to the first waiter and let it run. */
		semrelease(&m->sema, true);
		return;
	}
	int32_t old = state;
	for (;;) {
		/* Nobody to wake, or somebody already woken, spinning or
		 * holding the mutex: done. */
		if ((old >> MUTEX_WAITER_SHIFT) == 0 ||
		    (old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING)))
			return;
		int32_t next = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
		if (cas32(&m->state, old, next)) {
			semrelease(&m->sema, false);
			return;
		}
		old = load32(&m->state);
	}
}

void sync_Mutex_Unlock(sync_Mutex *m)
{
	int32_t state = __atomic_sub_fetch(&m->state, MUTEX_LOCKED, __ATOMIC_RELEASE);
	if (state != 0)
		unlock_slow(m, state);
}
