/*
 * What the scheduler prints: GODEBUG=schedtrace=X (Go's "SCHED" line
 * every X milliseconds, with scheddetail=1 also a line per p, m and
 * goroutine, in Go's format), goroutine tracebacks for fatal reports, and
 * the deadlock check.
 *
 * schedtrace runs from CPU 0's timer tick (its deadline is part of what
 * CPU 0 arms), so it needs no goroutine and keeps printing while every
 * goroutine is busy. Go's threads are gort's CPUs: threads is the number
 * of CPUs, idlethreads those halted.
 *
 * Tracebacks are in Go's format (runtime/traceback.h); a parked goroutine
 * is walked from the context its switch saved.
 */
#include "runtime/sched.h"

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "runtime/settings.h"
#include "runtime/traceback.h"

#define NS_PER_MS     1000000LL

/* Written by schedtrace_init before the scheduler starts; next_trace by
 * CPU 0's tick. */
static int64_t trace_period; /* ns; 0: off */
static bool trace_detail;
static int64_t next_trace = INT64_MAX;

void schedtrace_init(void)
{
	int64_t ms = godebug_int("schedtrace", 0);
	if (ms <= 0)
		return;
	trace_period = ms * NS_PER_MS;
	trace_detail = godebug_int("scheddetail", 0) != 0;
	next_trace = (int64_t)nanotime();
}

static void print_trace(int64_t now)
{
	int n = sched.gomaxprocs, idlethreads = 0;
	for (int i = 0; i < ncpu; i++)
		idlethreads += allm[i].halted;
	console_printf("SCHED %lldms: gomaxprocs=%d idleprocs=%d threads=%d spinningthreads=%d "
		       "needspinning=0 idlethreads=%d runqueue=%d",
		       (long long)(now / NS_PER_MS), n, sched.npidle, ncpu, sched.nmspinning,
		       idlethreads, sched.runqsize);
	if (!trace_detail) {
		console_printf(" [");
		for (int i = 0; i < n; i++)
			console_printf(i == 0 ? "%u" : " %u", runqsize(&allp[i]));
		console_printf("]\n");
		return;
	}
	console_printf(" gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false\n");
	for (int i = 0; i < n; i++) {
		struct p *pp = &allp[i];
		console_printf("  P%d: status=%d schedtick=%u syscalltick=0 m=%d runqsize=%u "
			       "gfreecnt=0 timerslen=%d\n",
			       i, pp->idle ? 0 : 1, pp->schedtick, i, runqsize(pp),
			       timers_len(&pp->timers));
	}
	for (int i = 0; i < ncpu; i++) {
		struct m *mp = &allm[i];
		struct g *cur = mp->curg;
		console_printf("  M%d: p=%d curg=%lld mallocing=0 throwing=0 preemptoff= locks=%d "
			       "dying=0 spinning=%s blocked=%s lockedg=-1\n",
			       i, mp->p != NULL ? mp->p->id : -1,
			       cur != NULL ? (long long)cur->goid : -1LL, mp->preemptoff,
			       mp->spinning ? "true" : "false", mp->halted ? "true" : "false");
	}
	unsigned long flags = spin_lock_irqsave(&allglock);
	for (struct g *gp = allgs; gp != NULL; gp = gp->allnext) {
		if (gp->status == G_DEAD)
			continue;
		int on = -1;
		for (int i = 0; i < ncpu; i++)
			if (allm[i].curg == gp)
				on = i;
		console_printf("  G%lld: status=%u(%s) m=%d lockedm=%d\n", (long long)gp->goid,
			       gp->status, gp->waitreason != NULL ? gp->waitreason : "", on,
			       gp->lockedcpu - 1);
	}
	spin_unlock_irqrestore(&allglock, flags);
}

void schedtrace_tick(int64_t now)
{
	if (trace_period == 0 || now < next_trace)
		return;
	print_trace(now);
	while (next_trace <= now)
		next_trace += trace_period;
}

int64_t schedtrace_next(void)
{
	return next_trace;
}

void checkdead(void)
{
	for (int i = 0; i < ncpu; i++) {
		if (timers_len(&allp[i].timers) != 0 || !runqempty(&allp[i]) ||
		    __atomic_load_n(&allm[i].lockedq_head, __ATOMIC_RELAXED) != NULL)
			return;
		if (allm[i].curg != NULL)
			return;
	}
	if (sched.runqsize != 0)
		return;
	if (__atomic_load_n(&sched.ngoroutines, __ATOMIC_RELAXED) == 0 && sched.main_goexited) {
		console_printf("fatal error: no goroutines (main called runtime.Goexit) - "
			       "deadlock!\n");
		machine_exit(2);
	}
	console_printf("fatal error: all goroutines are asleep - deadlock!\n\n");
	traceback_others(NULL, NULL);
	machine_exit(2);
}
