/*
 * Package time's Sleep, timers and tickers (Go's time/sleep.go and
 * time/tick.go over runtime/time.go), on the per-P timer heaps of timer.c.
 *
 * Sleep parks the goroutine ("sleep") with a timer on its own stack
 * (stacks never move) whose f readies it. The heap's lock is held from the
 * add until gopark's unlockf releases it, so the firing always finds the
 * goroutine parked. After waking, Sleep waits (timer_del) until the runner
 * that fired the timer is done with it, since the timer dies with Sleep's
 * frame.
 *
 * Timers and tickers are Go's timeTimer: the public part (C) followed by
 * the runtime's timer in one gort_new allocation. Their f sends the time
 * on C without blocking; C has a buffer of one, so a ticker drops ticks
 * that a slow receiver has not taken. Go 1.23's guarantee that no stale
 * value is received after Stop or Reset: both hold the timer's lock (mu)
 * while they delete the timer, which waits out a firing in progress, and
 * then drain C, so the only value that could be stale is gone; a value
 * drained counts as a firing stopped (Go's timerchandrain), since nobody
 * received it.
 *
 * AfterFunc. Go's timer starts f in a new goroutine right where it fires;
 * here timers fire in interrupt context with a heap lock held, where
 * creating a goroutine (allocating and mapping its stack) cannot be done.
 * So a firing AfterFunc timer queues itself for the timer goroutine (Go's
 * timerproc of old, "timer goroutine (idle)" while it waits), which starts
 * f(arg) in a new goroutine for each firing. The firing is the moment that
 * counts: once queued, Stop reports false and f runs, as in Go. The timer
 * goroutine is started by the first AfterFunc and lives as long as the
 * program; like Go's system goroutines, runtime_NumGoroutine does not count
 * it and tracebacks show it only with GOTRACEBACK=system.
 */
#include <gort/chan.h>
#include <gort/runtime.h>
#include <gort/time.h>

#include "kernel/clock.h"
#include "runtime/proc.h"
#include "runtime/timer.h"

/* Go's timeTimer: a Timer or Ticker and its runtime timer. */
struct timetimer {
	union {
		time_Timer timer;
		time_Ticker ticker;
	} pub; /* first: a pointer to either converts to the timetimer */
	struct timer t;
};

/* Go's when: the nanotime() at which a timer of d fires; d <= 0 fires
 * now, an overflow never. */
static int64_t when(time_Duration d)
{
	int64_t now = (int64_t)nanotime(), w;
	if (d <= 0)
		return now;
	if (__builtin_add_overflow(now, d, &w))
		return INT64_MAX;
	return w;
}

/* ---- Sleep ---------------------------------------------------------- */

struct sleeper {
	struct timers *ts; /* the heap the timer is on, locked */
	int64_t when;
};

/* gopark's unlockf: the goroutine's state is saved, so the timer may fire. */
static bool sleep_unlock(struct g *gp, void *arg)
{
	(void)gp;
	struct sleeper *s = arg;
	spin_unlock(&s->ts->lock);
	sched_timer_added(s->when);
	return true;
}

/* Go's goroutineReady. */
static void sleep_wake(void *arg, uintptr_t seq, int64_t delta)
{
	(void)seq;
	(void)delta;
	goready(arg);
}

void time_Sleep(time_Duration d)
{
	if (d <= 0)
		return;
	struct timer t = {.f = sleep_wake, .arg = getg()};
	unsigned long flags;
	struct timers *ts = timers_lock_room(&flags);
	timers_add_locked(ts, &t, when(d));
	struct sleeper s = {.ts = ts, .when = t.when};
	gopark(sleep_unlock, &s, "sleep");
	timer_del(&t);
	arch_irq_restore(flags);
}

/* ---- Timers and tickers --------------------------------------------- */

/* Go's sendTime: the time the timer was due (now - delta), if C has room. */
static void send_time(void *arg, uintptr_t seq, int64_t delta)
{
	(void)seq;
	time_Time now = time_Now();
	now.wall -= delta;
	now.mono -= delta;
	chan_trysend(arg, &now);
}

/* Receives the value C may hold. t->mu held. */
static bool drain(struct timetimer *tt)
{
	time_Time stale;
	return chan_tryrecv(tt->pub.timer.C, &stale, NULL);
}

/* Go's timer.stop: returns whether the call stopped a firing. */
static bool stop(struct timetimer *tt)
{
	unsigned long flags = timer_lock(&tt->t, false);
	bool pending = timer_del(&tt->t);
	if (drain(tt))
		pending = true;
	timer_unlock(&tt->t, flags);
	return pending;
}

/* Go's timer.modify: (re)arms tt to fire at w, then every period (0: once);
 * returns whether it stopped a firing. */
static bool modify(struct timetimer *tt, int64_t w, int64_t period)
{
	unsigned long flags = timer_lock(&tt->t, true);
	bool pending = timer_del(&tt->t);
	if (drain(tt))
		pending = true;
	tt->t.period = period;
	timer_add(&tt->t, w);
	timer_unlock(&tt->t, flags);
	return pending;
}

static struct timetimer *new_timetimer(void)
{
	struct timetimer *tt = gort_new(sizeof *tt);
	tt->pub.timer.C = chan_make(sizeof(time_Time), 1);
	tt->t.f = send_time;
	tt->t.arg = tt->pub.timer.C;
	return tt;
}

time_Timer *time_NewTimer(time_Duration d)
{
	struct timetimer *tt = new_timetimer();
	modify(tt, when(d), 0);
	return &tt->pub.timer;
}

bool time_Timer_Stop(time_Timer *t)
{
	return stop((struct timetimer *)t);
}

bool time_Timer_Reset(time_Timer *t, time_Duration d)
{
	return modify((struct timetimer *)t, when(d), 0);
}

chan_t *time_After(time_Duration d)
{
	return time_NewTimer(d)->C;
}

time_Ticker *time_NewTicker(time_Duration d)
{
	if (d <= 0)
		gopanic_string("non-positive interval for NewTicker");
	struct timetimer *tt = new_timetimer();
	modify(tt, when(d), d);
	return &tt->pub.ticker;
}

void time_Ticker_Stop(time_Ticker *t)
{
	stop((struct timetimer *)t);
}

void time_Ticker_Reset(time_Ticker *t, time_Duration d)
{
	if (d <= 0)
		gopanic_string("non-positive interval for Ticker.Reset");
	modify((struct timetimer *)t, when(d), d);
}

chan_t *time_Tick(time_Duration d)
{
	if (d <= 0)
		return NULL;
	return time_NewTicker(d)->C;
}

/* ---- AfterFunc -------------------------------------------------------- */

struct afterfunc {
	struct timetimer tt; /* C is NULL: nothing to drain */
	void (*fn)(void *arg);
	void *arg;
	/* Under timerproc.lock. */
	struct afterfunc *next; /* in timerproc's queue */
	int firings;            /* firings whose goroutine is not started yet */
};

/* The timer goroutine's queue of AfterFunc timers that fired. */
static struct {
	struct spinlock lock; /* interrupts off; taken under a heap's lock */
	struct afterfunc *head, *tail;
	struct g *idle;   /* the timer goroutine while it waits for work */
	uint32_t started; /* atomic: the timer goroutine exists */
} timerproc;

/* An AfterFunc timer's f: queues it for the timer goroutine. */
static void afterfunc_fire(void *arg, uintptr_t seq, int64_t delta)
{
	(void)seq;
	(void)delta;
	struct afterfunc *af = arg;
	spin_lock(&timerproc.lock);
	if (af->firings++ == 0) {
		af->next = NULL;
		if (timerproc.tail != NULL)
			timerproc.tail->next = af;
		else
			timerproc.head = af;
		timerproc.tail = af;
	}
	struct g *gp = timerproc.idle;
	timerproc.idle = NULL;
	spin_unlock(&timerproc.lock);
	if (gp != NULL)
		goready(gp);
}

static bool timerproc_unlock(struct g *gp, void *arg)
{
	(void)gp;
	(void)arg;
	spin_unlock(&timerproc.lock);
	return true;
}

/* The timer goroutine: starts a goroutine for every AfterFunc firing. */
static void timerproc_run(void *unused)
{
	(void)unused;
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&timerproc.lock);
		while (timerproc.head == NULL) {
			timerproc.idle = getg();
			gopark(timerproc_unlock, NULL, "timer goroutine (idle)");
			spin_lock(&timerproc.lock);
		}
		struct afterfunc *af = timerproc.head;
		timerproc.head = af->next;
		if (timerproc.head == NULL)
			timerproc.tail = NULL;
		int n = af->firings;
		af->firings = 0;
		spin_unlock_irqrestore(&timerproc.lock, flags);
		for (int i = 0; i < n; i++)
			gort_go(af->fn, af->arg);
	}
}

time_Timer *time_AfterFunc(time_Duration d, void (*f)(void *arg), void *arg)
{
	uint32_t no = 0;
	if (__atomic_compare_exchange_n(&timerproc.started, &no, 1, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED))
		gort_go_system(timerproc_run, NULL);
	struct afterfunc *af = gort_new(sizeof *af);
	af->fn = f;
	af->arg = arg;
	af->tt.t.f = afterfunc_fire;
	af->tt.t.arg = af;
	modify(&af->tt, when(d), 0);
	return &af->tt.pub.timer;
}
