/*
 * Per-P timer heaps (Go's runtime/time.go, simplified): the mechanism
 * behind time_Sleep, timer channels and tickers (time_sleep.c).
 *
 * The heap. Each P's struct timers is a 4-ary min-heap of timers ordered
 * by when, as in Go: a wider heap is shallower, so sifting touches fewer
 * cache lines. heap[0] fires first; minwhen mirrors heap[0]->when so that
 * the scheduler can read the next deadline without the lock. A timer
 * records the heap it is on (ts) and its index there (idx), so a Stop on
 * any CPU finds it and deletes it in O(log n).
 *
 * Firing. timers_run pops every due timer and calls its f with the heap's
 * lock held (Go drops the lock and guards each send with a sequence number
 * and a second lock; holding the lock gives the same guarantee more
 * simply). A periodic timer is not popped: its when moves past now in
 * whole periods (ticks a slow CPU missed are skipped, as in Go) and it is
 * sifted down in place. A one-shot timer leaves the heap before f runs but
 * keeps ts set until f has returned, so:
 *
 *   Invariant: t->ts == ts, read under ts->lock, means t is on ts's heap.
 *   A firing is complete (f returned) once t->ts is seen NULL.
 *
 * timer_del relies on both: it reads t->ts, takes that heap's lock (which
 * waits out a running f), and rechecks t->ts (a timers_move may have
 * moved t meanwhile); so after Stop no send of the stopped firing can
 * still be under way, and time_Sleep may return (freeing the timer on its
 * stack) once timer_del has waited for the firing that woke it.
 *
 * Locks, in order: timer.mu (a Stop or Reset of that timer), then a heap's
 * lock, then what f takes (a channel's lock, the scheduler's run queues).
 * Two heap locks are taken together only by timers_move, in address order.
 * All are taken with interrupts off: timers_run runs in interrupt context.
 *
 * Room. The heap array grows only outside every lock (malloc may map
 * memory and shoot down TLBs, which needs the other CPUs to take
 * interrupts), so an add makes sure of its slot before it takes the locks
 * it adds under: timer_lock(t, true) reserves a slot on this CPU's P heap
 * (ts->reserved, consumed by the timer_add that follows), and
 * timers_lock_room keeps the heap locked from its check to the add. When
 * the heap is full they drop their locks, grow it and retry. Invariant:
 * len + reserved <= cap; timers_run re-adds a periodic timer in place, and
 * timers_move grows its destination for every timer it moves in.
 */
#include "runtime/timer.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/throw.h"

static void set_len(struct timers *ts, int len)
{
	__atomic_store_n(&ts->len, len, __ATOMIC_RELAXED);
}

static void update_min(struct timers *ts)
{
	__atomic_store_n(&ts->minwhen, ts->len > 0 ? ts->heap[0]->when : 0, __ATOMIC_RELAXED);
}

/* Moves heap[i] up towards the root to its place. ts->lock held. */
static void sift_up(struct timers *ts, int i)
{
	struct timer *t = ts->heap[i];
	while (i > 0) {
		int parent = (i - 1) / 4;
		if (t->when >= ts->heap[parent]->when)
			break;
		ts->heap[i] = ts->heap[parent];
		ts->heap[i]->idx = i;
		i = parent;
	}
	ts->heap[i] = t;
	t->idx = i;
}

/* Moves heap[i] down towards the leaves to its place. ts->lock held. */
static void sift_down(struct timers *ts, int i)
{
	struct timer *t = ts->heap[i];
	for (;;) {
		int first = 4 * i + 1;
		if (first >= ts->len)
			break;
		int min = first;
		int last = first + 4 < ts->len ? first + 4 : ts->len;
		for (int c = first + 1; c < last; c++)
			if (ts->heap[c]->when < ts->heap[min]->when)
				min = c;
		if (ts->heap[min]->when >= t->when)
			break;
		ts->heap[i] = ts->heap[min];
		ts->heap[i]->idx = i;
		i = min;
	}
	ts->heap[i] = t;
	t->idx = i;
}

/* Takes heap[i] off the heap (its ts stays set). ts->lock held. */
static void heap_delete(struct timers *ts, int i)
{
	struct timer *t = ts->heap[i];
	int last = ts->len - 1;
	set_len(ts, last);
	if (i != last) {
		ts->heap[i] = ts->heap[last];
		ts->heap[i]->idx = i;
		if (i > 0 && ts->heap[i]->when < ts->heap[(i - 1) / 4]->when)
			sift_up(ts, i);
		else
			sift_down(ts, i);
	}
	t->idx = -1;
	update_min(ts);
}

/* Gives ts an array of at least need slots. No lock held; interrupts in
 * any state (malloc keeps them as they are). */
static void grow(struct timers *ts, int need)
{
	int ncap = need < 8 ? 16 : 2 * need;
	struct timer **heap = malloc((size_t)ncap * sizeof *heap);
	if (heap == NULL)
		throw("timers: out of memory");
	unsigned long flags = spin_lock_irqsave(&ts->lock);
	if (ncap > ts->cap) {
		if (ts->len > 0)
			memcpy(heap, ts->heap, (size_t)ts->len * sizeof *heap);
		struct timer **old = ts->heap;
		ts->heap = heap;
		ts->cap = ncap;
		heap = old;
	}
	spin_unlock_irqrestore(&ts->lock, flags);
	free(heap);
}

int64_t timers_run(struct timers *ts, int64_t now)
{
	int64_t next = __atomic_load_n(&ts->minwhen, __ATOMIC_RELAXED);
	if (next == 0 || next > now)
		return next == 0 ? INT64_MAX : next;

	spin_lock(&ts->lock);
	while (ts->len > 0 && ts->heap[0]->when <= now) {
		struct timer *t = ts->heap[0];
		int64_t delta = now - t->when;
		bool periodic = t->period > 0;
		if (periodic) {
			int64_t step, when;
			if (__builtin_mul_overflow(t->period, 1 + delta / t->period, &step) ||
			    __builtin_add_overflow(t->when, step, &when))
				when = INT64_MAX;
			t->when = when;
			sift_down(ts, 0);
			update_min(ts);
		} else {
			heap_delete(ts, 0);
		}
		t->f(t->arg, t->seq, delta);
		if (!periodic)
			__atomic_store_n(&t->ts, NULL, __ATOMIC_RELEASE);
	}
	next = ts->len > 0 ? ts->heap[0]->when : INT64_MAX;
	spin_unlock(&ts->lock);
	return next;
}

int64_t timers_next(struct timers *ts)
{
	int64_t when = __atomic_load_n(&ts->minwhen, __ATOMIC_RELAXED);
	return when == 0 ? INT64_MAX : when;
}

int timers_len(struct timers *ts)
{
	return __atomic_load_n(&ts->len, __ATOMIC_RELAXED);
}

void timers_move(struct timers *to, struct timers *from)
{
	if (to == from)
		return;
	struct timers *first = to < from ? to : from, *second = to < from ? from : to;
	unsigned long flags;
	for (;;) {
		flags = arch_irq_save();
		spin_lock(&first->lock);
		spin_lock(&second->lock);
		int need = to->len + to->reserved + from->len;
		if (need <= to->cap)
			break;
		spin_unlock(&second->lock);
		spin_unlock(&first->lock);
		arch_irq_restore(flags);
		grow(to, need);
	}
	for (int i = 0; i < from->len; i++) {
		struct timer *t = from->heap[i];
		to->heap[to->len] = t;
		set_len(to, to->len + 1);
		__atomic_store_n(&t->ts, to, __ATOMIC_RELAXED);
		sift_up(to, to->len - 1);
	}
	set_len(from, 0);
	update_min(from);
	update_min(to);
	spin_unlock(&second->lock);
	spin_unlock(&first->lock);
	arch_irq_restore(flags);
}

unsigned long timer_lock(struct timer *t, bool room)
{
	for (;;) {
		unsigned long flags = arch_irq_save();
		spin_lock(&t->mu);
		if (!room)
			return flags;
		struct timers *ts = this_p_timers();
		spin_lock(&ts->lock);
		int need = ts->len + ts->reserved + 1;
		bool fits = need <= ts->cap;
		if (fits)
			ts->reserved++;
		spin_unlock(&ts->lock);
		if (fits)
			return flags;
		spin_unlock(&t->mu);
		arch_irq_restore(flags);
		grow(ts, need);
	}
}

void timer_unlock(struct timer *t, unsigned long flags)
{
	spin_unlock_irqrestore(&t->mu, flags);
}

struct timers *timers_lock_room(unsigned long *flags)
{
	for (;;) {
		*flags = arch_irq_save();
		struct timers *ts = this_p_timers();
		spin_lock(&ts->lock);
		int need = ts->len + ts->reserved + 1;
		if (need <= ts->cap)
			return ts;
		spin_unlock(&ts->lock);
		arch_irq_restore(*flags);
		grow(ts, need);
	}
}

bool timer_del(struct timer *t)
{
	struct timers *ts;
	for (;;) {
		ts = __atomic_load_n(&t->ts, __ATOMIC_ACQUIRE);
		if (ts == NULL) {
			t->seq++;
			return false;
		}
		spin_lock(&ts->lock);
		if (__atomic_load_n(&t->ts, __ATOMIC_RELAXED) == ts)
			break;
		spin_unlock(&ts->lock);
	}
	t->seq++;
	heap_delete(ts, t->idx);
	__atomic_store_n(&t->ts, NULL, __ATOMIC_RELAXED);
	spin_unlock(&ts->lock);
	return true;
}

void timers_add_locked(struct timers *ts, struct timer *t, int64_t when)
{
	if (ts->len >= ts->cap)
		throw("timers: no room for a timer");
	t->when = when < 1 ? 1 : when;
	ts->heap[ts->len] = t;
	set_len(ts, ts->len + 1);
	__atomic_store_n(&t->ts, ts, __ATOMIC_RELAXED);
	sift_up(ts, ts->len - 1);
	update_min(ts);
}

void timer_add(struct timer *t, int64_t when)
{
	struct timers *ts = this_p_timers();
	spin_lock(&ts->lock);
	if (ts->reserved == 0)
		throw("timers: timer_add without a reserved slot");
	ts->reserved--;
	timers_add_locked(ts, t, when);
	spin_unlock(&ts->lock);
	sched_timer_added(when < 1 ? 1 : when);
}
