/*
 * Timers: each P keeps its own timers in a 4-ary min-heap ordered by when
 * (Go's timers, runtime/time.go), and the CPU that runs the P fires them
 * from its timer interrupt and from the scheduler (timers_run). See
 * timer.c for the algorithm and its locking.
 *
 * A timer is always added to the heap of the P that the adding CPU runs
 * (this_p_timers()); it stays there until it fires (a periodic timer is
 * re-sifted in the same heap), is deleted by Stop or Reset from any CPU,
 * or is moved to another heap by timers_move when GOMAXPROCS shrinks. A
 * struct timers lives as long as the machine (Ps are never freed).
 */
#ifndef GORT_RUNTIME_TIMER_H
#define GORT_RUNTIME_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/spinlock.h"

struct timers;

/*
 * A timer. The owner sets f, arg and period before its first add; when,
 * idx and ts change only under the lock of the heap that holds the timer
 * (ts->lock), and a Stop or Reset holds mu around the whole operation, so
 * two of them on one timer never interleave.
 */
struct timer {
	struct spinlock mu; /* interrupts off; serializes Stop/Reset; taken before any ts->lock */
	int64_t when;       /* nanotime() at which it fires, >= 1; under ts->lock */
	int64_t period;     /* > 0: fires again every period ns (a ticker); under mu */
	/* Runs with interrupts off and the heap's lock held, in interrupt or
	 * scheduler context, so it must not block: it wakes a goroutine
	 * (goready) or sends without blocking (chan_trysend). seq is the
	 * number of Stops and Resets the timer had seen when it fired (Go's
	 * timer.seq); delta is how late it fires (now - when, >= 0). */
	void (*f)(void *arg, uintptr_t seq, int64_t delta);
	void *arg;
	uintptr_t seq;     /* incremented by each timer_del; under mu */
	struct timers *ts; /* the heap holding it (NULL: none); written under ts->lock, atomic */
	int idx;           /* its index in ts->heap; -1 while it runs; under ts->lock */
};

/* One P's timers: a 4-ary min-heap on when (Go's), with its lock. The
 * zero value is an empty heap. */
struct timers {
	struct spinlock lock; /* interrupts off; protects everything below but minwhen's reads */
	struct timer **heap;  /* heap[0] fires first; a malloc object */
	int len, cap;         /* len + reserved <= cap (timer.c, Room) */
	int reserved;         /* slots promised to adds under way (timer_lock) */
	int64_t minwhen;      /* heap[0]->when, or 0 when empty (Go's minWhenHeap); atomic */
};

/* Runs every timer of ts whose when <= now (interrupts off; called from
 * the timer interrupt and the scheduler, holding no scheduler lock, since
 * timers call goready), re-adds periodic ones, and returns the earliest
 * remaining when, or INT64_MAX if none. */
int64_t timers_run(struct timers *ts, int64_t now);

/* The earliest when in ts (INT64_MAX: none); lock-free read is fine. */
int64_t timers_next(struct timers *ts);

/* How many timers ts holds (deadlock detection: a pending timer means
 * someone will wake). */
int timers_len(struct timers *ts);

/* Moves every timer of from into to (GOMAXPROCS shrinking). It may
 * allocate: call it from goroutine or scheduler context, not from an
 * interrupt handler, and, like timers_run, holding no scheduler lock
 * (a firing timer's f takes them while holding a heap's lock). */
void timers_move(struct timers *to, struct timers *from);

/* The interface to package time (time_sleep.c). */

/* Locks t for a Stop or a Reset: returns the interrupt state to restore,
 * with interrupts off and t->mu held. With room, it also reserves a slot
 * on this CPU's P heap for the one timer_add the caller must make before
 * timer_unlock. Goroutine context. */
unsigned long timer_lock(struct timer *t, bool room);
void timer_unlock(struct timer *t, unsigned long flags);

/* Deletes t from the heap holding it. Returns whether it was pending
 * (on a heap, not yet fired). When it returns, a firing of t that had
 * begun (f running on another CPU) has finished. t locked, or private to
 * the caller. */
bool timer_del(struct timer *t);

/* Adds t, which is on no heap, to this CPU's P heap to fire at when, and
 * tells the scheduler (sched_timer_added). t locked with room. */
void timer_add(struct timer *t, int64_t when);

/* Returns this CPU's P heap locked, with room for one more timer and
 * interrupts off (*flags: the state to restore), for a caller that parks
 * with the lock held (time_Sleep). Goroutine context. */
struct timers *timers_lock_room(unsigned long *flags);

/* Adds t, on no heap, to ts, whose lock the caller holds (after
 * timers_lock_room). The caller tells the scheduler once it drops the
 * lock. */
void timers_add_locked(struct timers *ts, struct timer *t, int64_t when);

/* Provided by the scheduler (runtime/proc.c). */

/* The timers of the P this CPU runs (interrupts off). */
extern struct timers *this_p_timers(void);

/* Tells the scheduler that ts (this CPU's P's heap) now has a timer at
 * when: re-arms this CPU's one-shot timer if when is earlier than what
 * it is armed for. Interrupts off; called with no heap lock held. */
extern void sched_timer_added(int64_t when);

#endif
