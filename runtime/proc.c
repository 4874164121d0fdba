/*
 * The goroutine scheduler: Go's G/M/P model on bare hardware (sched.h has
 * the mapping: one m per CPU, p i run by CPU i).
 *
 * Each CPU's scheduler context runs schedule_loop on the CPU's own stack
 * with interrupts off. It finds a goroutine (findrunnable) and switches to
 * it (arch_context_switch saves the scheduler's callee-saved registers on
 * its stack); the goroutine runs with interrupts on until it switches
 * back, saying why in m.switch_why: it parked (gopark: the scheduler calls
 * its unlockf now that its registers are saved, Go's park_m), it yielded
 * (Gosched, or preemption: it goes to the global queue, as in Go), or it
 * exited (its stack is freed here, off that stack). Every switch passes
 * through the scheduler context, so a goroutine's state is saved before
 * anyone can see it waiting.
 *
 * findrunnable, in Go's order: goroutines wired to this CPU; this p's
 * timers (which may ready goroutines); every GLOBAL_QUEUE_TICK schedules
 * one goroutine from the global queue first (fairness); the local queue
 * (runnext first); the global queue; stealing half of another p's queue,
 * four rounds over the ps in random order, the last one also taking
 * runnext. With nothing found the p goes idle and the CPU halts
 * (arch_idle) with its timer armed for the p's next timer; goready on
 * another CPU wakes one idle p (wakep) with an IPI, unless a woken CPU is
 * already looking for work (nmspinning), which keeps a burst of wakeups
 * from waking every CPU. A woken CPU that finds nothing keeps looking for
 * SPIN_POLL_NS before it halts, so a steady trickle of work (a pair of
 * goroutines talking over a channel) does not cost an IPI each time. When the last p goes idle with no timer pending
 * anywhere, every goroutine is blocked forever: checkdead reports Go's
 * deadlock.
 *
 * Preemption. Each CPU's one-shot timer is armed for the earlier of its
 * p's next timer and the end of the running goroutine's time slice
 * (PREEMPT_NS after it began; a goroutine readied into runnext inherits
 * the slice). The tick runs due timers and marks a goroutine whose slice
 * is over; the arch's interrupt exit then calls runtime_interrupt_return,
 * which switches it out from inside the interrupt, its full register
 * state (FP/SIMD included) saved in the interrupt frame on its own stack.
 * Runtime code that must not be preempted runs with interrupts off (every
 * spinlock holder) or between preempt_disable/preempt_enable.
 * GODEBUG=asyncpreemptoff=1 turns the preemption off.
 */
#include "runtime/sched.h"

#include <gort/runtime.h>

#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/pagealloc.h"
#include "kernel/smp.h"
#include "runtime/ancestors.h"
#include "runtime/panic.h"
#include "runtime/settings.h"
#include "runtime/stack.h"
#include "runtime/throw.h"

struct sched sched = {.lock = SPINLOCK_INIT};
struct p allp[MAX_CPUS];
struct m allm[MAX_CPUS];
int ncpu;
struct spinlock allglock = SPINLOCK_INIT;
struct g *allgs;

/* How long a CPU woken to look for work (spinning) keeps looking before
 * it halts. While one CPU spins, wakep sends no IPI, and an IPI with the
 * halt and wakeup around it costs microseconds of both CPUs' time under a
 * hypervisor or emulator (Linux's haltpoll polls 200 us for the same
 * reason); a pair of goroutines handing work back and forth would
 * otherwise wake the idle CPU every few round trips for nothing. */
#define SPIN_POLL_NS 200000

static bool asyncpreemptoff; /* GODEBUG=asyncpreemptoff=1; set before the scheduler starts */

/* ---- Small helpers ---------------------------------------------------- */

struct g *getg(void)
{
	unsigned long flags = arch_irq_save();
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	arch_irq_restore(flags);
	return gp;
}

struct console_line *runtime_console_line(void)
{
	unsigned long flags = arch_irq_save();
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	arch_irq_restore(flags);
	/* With interrupts off this is an interrupt handler or a critical
	 * section, not the goroutine's own flow of output. */
	return gp != NULL && arch_irq_flags_enabled(flags) ? &gp->out : NULL;
}

uint32_t cheaprand(void)
{
	struct m *mp = this_m();
	/* xorshift64*, per CPU. */
	uint64_t x = mp->rand;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	mp->rand = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

uint32_t cheaprandn(uint32_t n)
{
	return (uint32_t)(((uint64_t)cheaprand() * n) >> 32);
}

void allgadd(struct g *gp)
{
	unsigned long flags = spin_lock_irqsave(&allglock);
	gp->inallgs = true;
	gp->allprev = NULL;
	gp->allnext = allgs;
	if (allgs != NULL)
		allgs->allprev = gp;
	allgs = gp;
	spin_unlock_irqrestore(&allglock, flags);
}

void allgremove(struct g *gp)
{
	unsigned long flags = spin_lock_irqsave(&allglock);
	gp->inallgs = false;
	if (gp->allprev != NULL)
		gp->allprev->allnext = gp->allnext;
	else
		allgs = gp->allnext;
	if (gp->allnext != NULL)
		gp->allnext->allprev = gp->allprev;
	spin_unlock_irqrestore(&allglock, flags);
}

/* ---- The timer ----------------------------------------------------------- */

/* Arms this CPU's timer for the earliest of its p's timers, the end of the
 * running goroutine's slice and (CPU 0) the next schedtrace line, unless
 * it is already armed for something earlier: reprogramming the timer
 * costs far more than a context switch under emulation, so a switch that
 * starts a new slice leaves an earlier deadline alone, and the tick that
 * comes early finds nothing due and arms the right one. Interrupts off. */
static void arm_timer(struct m *mp, int64_t now)
{
	int64_t deadline = INT64_MAX;
	struct p *pp = mp->p;
	if (pp != NULL)
		deadline = timers_next(&pp->timers);
	if (mp->curg != NULL && pp != NULL && !asyncpreemptoff) {
		int64_t slice_end = pp->slicestart + PREEMPT_NS;
		if (slice_end <= now) /* due, but the goroutine could not be preempted yet */
			slice_end = now + PREEMPT_NS / 10;
		if (slice_end < deadline)
			deadline = slice_end;
	}
	if (mp->cpu->id == 0) {
		int64_t trace = schedtrace_next();
		if (trace < deadline)
			deadline = trace;
	}
	if (deadline >= mp->timer_armed)
		return; /* an earlier tick comes first and re-arms then */
	mp->timer_armed = deadline;
	arch_timer_set(deadline == INT64_MAX ? UINT64_MAX : clock_deadline((uint64_t)deadline));
}

struct timers *this_p_timers(void)
{
	struct p *pp = this_m()->p;
	return pp != NULL ? &pp->timers : &allp[0].timers;
}

void sched_timer_added(int64_t when)
{
	struct m *mp = this_m();
	if (mp->p == NULL) {
		/* A CPU without a p adds to p 0's heap: wake CPU 0 to re-arm. */
		arch_ipi_send(allm[0].cpu);
		return;
	}
	if (when < mp->timer_armed)
		arm_timer(mp, (int64_t)nanotime());
}

/* Marks p idle or not; sched.lock held. */
static void p_set_idle(struct p *pp, bool idle)
{
	if (pp->idle == idle)
		return;
	__atomic_store_n(&pp->idle, idle, __ATOMIC_RELAXED);
	__atomic_store_n(&sched.npidle, sched.npidle + (idle ? 1 : -1), __ATOMIC_RELAXED);
}

/* This CPU's timer interrupt (interrupt context). */
static void sched_tick(struct cpu *c)
{
	struct m *mp = c->sched;
	struct p *pp = mp->p;
	int64_t now = (int64_t)nanotime();
	mp->timer_armed = INT64_MAX;
	if (pp != NULL) {
		if (__atomic_load_n(&pp->idle, __ATOMIC_RELAXED)) {
			/* Not idle while its timers ready goroutines, so checkdead
			 * on another CPU never sees a timer in flight. */
			spin_lock(&sched.lock);
			p_set_idle(pp, false);
			spin_unlock(&sched.lock);
		}
		timers_run(&pp->timers, now);
		if (mp->curg != NULL && !asyncpreemptoff && now - pp->slicestart >= PREEMPT_NS)
			mp->curg->preempt = true;
	}
	if (c->id == 0)
		schedtrace_tick(now);
	arm_timer(mp, now);
}

/* ---- Switching -------------------------------------------------------- */

/* Switches from the running goroutine to this CPU's scheduler context,
 * which acts on why; returns when the goroutine runs again, perhaps on
 * another CPU. Interrupts off. */
static void switch_to_scheduler(enum switch_why why)
{
	struct m *mp = this_m();
	struct g *gp = mp->curg;
	mp->switch_why = why;
	arch_context_switch(&gp->sched_sp, mp->g0_sp);
}

void gopark(bool (*unlockf)(struct g *gp, void *arg), void *arg, const char *reason)
{
	struct m *mp = this_m();
	struct g *gp = mp->curg;
	if (gp == NULL)
		throw("gopark: not on a goroutine");
	if (mp->preemptoff != 0)
		throw("gopark: preemption disabled");
	if (gp->out.len != 0)
		console_line_flush(&gp->out);
	mp->unlockf = unlockf;
	mp->unlockarg = arg;
	gp->waitreason = reason;
	switch_to_scheduler(SWITCH_PARK);
}

/* Puts runnable gp where this CPU runs it next (its p's runnext, or the
 * global queue on a CPU without a p) and wakes an idle p to help.
 * Interrupts off. */
static void ready_here(struct g *gp)
{
	struct m *mp = this_m();
	if (mp != NULL && mp->p != NULL) {
		runqput(mp->p, gp, true);
	} else {
		spin_lock(&sched.lock);
		globrunqput(gp);
		spin_unlock(&sched.lock);
	}
	wakep();
}

void goready(struct g *gp)
{
	if (__atomic_load_n(&gp->status, __ATOMIC_ACQUIRE) != G_WAITING)
		throw("goready: goroutine is not waiting");
	gp->waitreason = NULL;
	__atomic_store_n(&gp->status, G_RUNNABLE, __ATOMIC_RELEASE);
	if (gp->lockedcpu != 0) {
		lockedq_put(&allm[gp->lockedcpu - 1], gp);
		return;
	}
	ready_here(gp);
}

/* Makes gp (runnable) run again somewhere, after a yield or preemption:
 * the global queue, as in Go, or its CPU's queue if it is wired to one.
 * An idle p is woken for it (Go's goschedImpl): nothing else would wake
 * one for work that sits in the global queue while every busy CPU keeps
 * computing. Scheduler context. */
static void requeue(struct g *gp)
{
	__atomic_store_n(&gp->status, G_RUNNABLE, __ATOMIC_RELEASE);
	if (gp->lockedcpu != 0) {
		lockedq_put(&allm[gp->lockedcpu - 1], gp);
		return;
	}
	spin_lock(&sched.lock);
	globrunqput(gp);
	spin_unlock(&sched.lock);
	wakep();
}

void lockedq_put(struct m *mp, struct g *gp)
{
	gp->schedlink = NULL;
	spin_lock(&mp->lockedq_lock);
	if (mp->lockedq_tail != NULL)
		mp->lockedq_tail->schedlink = gp;
	else
		mp->lockedq_head = gp;
	mp->lockedq_tail = gp;
	spin_unlock(&mp->lockedq_lock);
	if (mp != this_m())
		arch_ipi_send(mp->cpu);
}

static struct g *lockedq_get(struct m *mp)
{
	if (__atomic_load_n(&mp->lockedq_head, __ATOMIC_RELAXED) == NULL)
		return NULL;
	spin_lock(&mp->lockedq_lock);
	struct g *gp = mp->lockedq_head;
	if (gp != NULL) {
		mp->lockedq_head = gp->schedlink;
		if (mp->lockedq_head == NULL)
			mp->lockedq_tail = NULL;
	}
	spin_unlock(&mp->lockedq_lock);
	return gp;
}

/* Runs gp on this CPU, from now (nanotime), until it switches back, then
 * acts on why; returns the time it switched back. One clock read per
 * switch serves the parked goroutine's waitsince, the timers and the next
 * goroutine's slice: under emulation a clock read costs as much as a
 * tenth of the switch. Scheduler context. */
static int64_t execute(struct m *mp, struct g *gp, bool inherit, int64_t now)
{
	struct p *pp = mp->p;
	if (pp != NULL && !inherit) {
		pp->schedtick++;
		pp->slicestart = now;
	}
	for (;;) {
		if (pp != NULL)
			__atomic_store_n(&pp->nswitch, pp->nswitch + 1, __ATOMIC_RELAXED);
		gp->preempt = false;
		__atomic_store_n(&gp->status, G_RUNNING, __ATOMIC_RELEASE);
		mp->curg = gp;
		arm_timer(mp, now);
		arch_context_switch(&mp->g0_sp, gp->sched_sp);
		now = (int64_t)nanotime();
		/* curg stays set until gp is parked, queued or freed: checkdead
		 * on another CPU must not see it nowhere. */
		switch (mp->switch_why) {
		case SWITCH_PARK:
			gp->waitsince = now;
			__atomic_store_n(&gp->status, G_WAITING, __ATOMIC_RELEASE);
			if (mp->unlockf != NULL && !mp->unlockf(gp, mp->unlockarg)) {
				/* The wait is already over: run it again. */
				gp->waitreason = NULL;
				continue;
			}
			break;
		case SWITCH_YIELD:
			requeue(gp);
			break;
		case SWITCH_EXIT:
			stack_free(gp);
			break;
		default:
			throw("execute: bad switch");
		}
		__atomic_store_n(&mp->curg, NULL, __ATOMIC_RELEASE);
		return now;
	}
}

/* ---- Finding work --------------------------------------------------- */

/* A woken CPU that found work stops spinning; if it was the last spinner,
 * another idle p may be needed for the work that remains (Go's
 * resetspinning). */
static void stop_spinning(struct m *mp)
{
	if (!mp->spinning)
		return;
	mp->spinning = false;
	mp->spin_until = 0;
	if (__atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_ACQ_REL) == 0)
		wakep();
}

void wakep(void)
{
	if (__atomic_load_n(&sched.npidle, __ATOMIC_RELAXED) == 0 ||
	    !__atomic_load_n(&sched.started, __ATOMIC_RELAXED))
		return;
	int32_t zero = 0;
	if (!__atomic_compare_exchange_n(&sched.nmspinning, &zero, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return;
	struct p *woken = NULL;
	spin_lock(&sched.lock);
	int n = sched.gomaxprocs;
	int start = (int)cheaprandn((uint32_t)n);
	for (int i = 0; i < n; i++) {
		struct p *pp = &allp[(start + i) % n];
		if (pp->idle && !pp->retiring) {
			p_set_idle(pp, false);
			woken = pp;
			break;
		}
	}
	spin_unlock(&sched.lock);
	if (woken == NULL) {
		__atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_ACQ_REL);
		return;
	}
	__atomic_store_n(&woken->m->spinning, true, __ATOMIC_RELEASE);
	if (woken->m != this_m())
		arch_ipi_send(woken->m->cpu);
}

/* Four rounds over the other ps in random order, taking half of a
 * queue; the last round also takes runnext. */
static struct g *steal_work(struct p *pp)
{
	int n = __atomic_load_n(&sched.gomaxprocs, __ATOMIC_RELAXED);
	if (n <= 1)
		return NULL;
	for (int round = 0; round < 4; round++) {
		int start = (int)cheaprandn((uint32_t)n);
		for (int i = 0; i < n; i++) {
			struct p *victim = &allp[(start + i) % n];
			if (victim == pp || !__atomic_load_n(&victim->active, __ATOMIC_RELAXED))
				continue;
			struct g *gp = runqsteal(pp, victim, round == 3);
			if (gp != NULL)
				return gp;
		}
	}
	return NULL;
}

/* Whether any p has runnable goroutines (a spinning CPU's last look
 * before it halts). */
static bool any_work(void)
{
	if (__atomic_load_n(&sched.runqsize, __ATOMIC_RELAXED) != 0)
		return true;
	int n = __atomic_load_n(&sched.gomaxprocs, __ATOMIC_RELAXED);
	for (int i = 0; i < n; i++)
		if (!runqempty(&allp[i]))
			return true;
	return false;
}

/* GOMAXPROCS shrank below pp: hands its goroutines to the global queue
 * and its timers to p 0, and gives it up. Scheduler context. */
static void retire_p(struct m *mp, struct p *pp)
{
	spin_lock(&sched.lock);
	runq_to_global(pp);
	p_set_idle(pp, false);
	pp->retiring = false;
	__atomic_store_n(&pp->active, false, __ATOMIC_RELEASE);
	mp->p = NULL;
	spin_unlock(&sched.lock);
	timers_move(&allp[0].timers, &pp->timers);
	arch_ipi_send(allm[0].cpu);
	wakep();
}

/* Whether every one of the GOMAXPROCS ps is idle (retiring ps, idle or
 * not, do not count). sched.lock held. */
static bool all_ps_idle(void)
{
	for (int i = 0; i < sched.gomaxprocs; i++)
		if (!allp[i].idle)
			return false;
	return true;
}

/* Halts this CPU until an interrupt, its p (if any) marked idle, after a
 * last look for work under sched.lock. Scheduler context. */
static void idle(struct m *mp)
{
	struct p *pp = mp->p;
	if (mp->spinning) {
		int64_t now = (int64_t)nanotime();
		if (mp->spin_until == 0)
			mp->spin_until = now + SPIN_POLL_NS;
		if (now < mp->spin_until) {
			/* Keep looking, with a window for interrupts (this
			 * CPU's timer, a shootdown) between looks. */
			arch_irq_enable();
			for (int k = 0; k < SPIN_RELAX_BATCH; k++)
				arch_cpu_relax();
			arch_irq_save();
			return;
		}
		mp->spin_until = 0;
		mp->spinning = false;
		__atomic_sub_fetch(&sched.nmspinning, 1, __ATOMIC_ACQ_REL);
		if (any_work())
			return;
	}
	spin_lock(&sched.lock);
	if (pp != NULL) {
		if (sched.runqsize != 0 || pp->retiring) {
			spin_unlock(&sched.lock);
			return;
		}
		p_set_idle(pp, true);
	}
	/* A CPU without a p checks too: it may have been the last to hold a
	 * goroutine (a p that retired under it). */
	if (all_ps_idle())
		checkdead();
	spin_unlock(&sched.lock);
	if (__atomic_load_n(&mp->lockedq_head, __ATOMIC_RELAXED) == NULL) {
		arm_timer(mp, (int64_t)nanotime());
		if (pp == NULL || __atomic_load_n(&pp->idle, __ATOMIC_RELAXED)) {
			mp->halted = true;
			arch_idle();
			mp->halted = false;
		}
	}
	if (pp != NULL) {
		spin_lock(&sched.lock);
		p_set_idle(pp, false);
		spin_unlock(&sched.lock);
	}
}

/* The next goroutine for this CPU; halts until there is one. Sets
 * *inherit when it inherits the current time slice (runnext); *now is
 * the time (nanotime), brought up to date when it waited. Scheduler
 * context. */
static struct g *findrunnable(struct m *mp, bool *inherit, int64_t *now)
{
	struct g *gp;
	for (;;) {
		*inherit = false;
		gp = lockedq_get(mp);
		if (gp != NULL)
			return gp;
		struct p *pp = mp->p;
		if (pp == NULL) {
			spin_lock(&sched.lock);
			if (allp[mp->cpu->id].active && !allp[mp->cpu->id].retiring)
				mp->p = &allp[mp->cpu->id];
			spin_unlock(&sched.lock);
			if (mp->p == NULL) {
				idle(mp);
				*now = (int64_t)nanotime();
			}
			continue;
		}
		if (__atomic_load_n(&pp->retiring, __ATOMIC_ACQUIRE)) {
			retire_p(mp, pp);
			continue;
		}
		timers_run(&pp->timers, *now);
		if (pp->schedtick % GLOBAL_QUEUE_TICK == 0 &&
		    __atomic_load_n(&sched.runqsize, __ATOMIC_RELAXED) != 0) {
			spin_lock(&sched.lock);
			gp = globrunqget(pp, 1);
			spin_unlock(&sched.lock);
			if (gp != NULL)
				break;
		}
		gp = runqget(pp, inherit);
		if (gp != NULL)
			break;
		if (__atomic_load_n(&sched.runqsize, __ATOMIC_RELAXED) != 0) {
			spin_lock(&sched.lock);
			gp = globrunqget(pp, 0);
			spin_unlock(&sched.lock);
			if (gp != NULL)
				break;
		}
		gp = steal_work(pp);
		if (gp != NULL)
			break;
		idle(mp);
		*now = (int64_t)nanotime();
	}
	stop_spinning(mp);
	return gp;
}

/* Each CPU's scheduler context: on its own stack, interrupts off. */
static _Noreturn void schedule_loop(void)
{
	struct m *mp = this_m();
	int64_t now = (int64_t)nanotime();
	for (;;) {
		bool inherit;
		struct g *gp = findrunnable(mp, &inherit, &now);
		now = execute(mp, gp, inherit, now);
	}
}

/* ---- Goroutines ------------------------------------------------------ */

/* The first code of every goroutine (arch_context_make's entry). */
static _Noreturn void goroutine_start(void *arg)
{
	struct g *gp = arg;
	arch_irq_enable();
	gp->fn(gp->arg);
	runtime_Goexit();
}

/* A goroutine running fn(arg) on a new stack reservation of stack_size
 * bytes, made runnable. */
static struct g *newproc(void (*fn)(void *), void *arg, size_t stack_size, size_t initial,
			 uintptr_t gopc, bool system)
{
	struct g *gp = stack_alloc(stack_size, initial);
	if (gp == NULL)
		throw("runtime: out of memory allocating a goroutine stack");
	gp->fn = fn;
	gp->arg = arg;
	gp->gopc = gopc;
	gp->system = system;
	gp->goid = __atomic_add_fetch(&sched.goidgen, 1, __ATOMIC_RELAXED);
	gp->ancestors = ancestors_capture((uintptr_t)newproc, arch_current_fp());
	gp->sched_sp = arch_context_make(gp->stack_hi, goroutine_start, gp);
	if (!gp->inallgs)
		allgadd(gp);
	if (!system)
		__atomic_add_fetch(&sched.ngoroutines, 1, __ATOMIC_RELAXED);
	unsigned long flags = arch_irq_save();
	struct g *parent = this_m()->curg; /* NULL for main */
	gp->parentgoid = parent != NULL ? parent->goid : 0;
	__atomic_store_n(&gp->status, G_RUNNABLE, __ATOMIC_RELEASE);
	ready_here(gp);
	arch_irq_restore(flags);
	return gp;
}

void gort_go(void (*fn)(void *arg), void *arg)
{
	newproc(fn, arg, stack_max_size(), PAGE_SIZE, (uintptr_t)__builtin_return_address(0),
		false);
}

void gort_go_system(void (*fn)(void *arg), void *arg)
{
	newproc(fn, arg, STACK_DEFAULT_SIZE, PAGE_SIZE, (uintptr_t)__builtin_return_address(0),
		true);
}

void runtime_Goexit(void)
{
	arch_irq_save();
	struct g *gp = this_m()->curg;
	if (gp == NULL)
		throw("Goexit: not on a goroutine");
	if (gp->scope != NULL || gp->panic != NULL) {
		/* Its deferred calls first, with interrupts on. */
		arch_irq_enable();
		goexit_run_defers();
		arch_irq_save();
	}
	if (gp->out.len != 0)
		console_line_flush(&gp->out);
	if (gp->goid == 1)
		sched.main_goexited = true;
	if (!gp->system)
		__atomic_sub_fetch(&sched.ngoroutines, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&gp->status, G_DEAD, __ATOMIC_RELEASE);
	switch_to_scheduler(SWITCH_EXIT);
	throw("Goexit: a dead goroutine ran again");
}

void runtime_Gosched(void)
{
	unsigned long flags = arch_irq_save();
	if (this_m()->curg != NULL)
		switch_to_scheduler(SWITCH_YIELD);
	arch_irq_restore(flags);
}

int runtime_NumGoroutine(void)
{
	return __atomic_load_n(&sched.ngoroutines, __ATOMIC_RELAXED);
}

void runtime_LockOSThread(void)
{
	unsigned long flags = arch_irq_save();
	struct m *mp = this_m();
	struct g *gp = mp->curg;
	if (gp != NULL) {
		if (gp->lockedcount++ == 0)
			gp->lockedcpu = mp->cpu->id + 1;
	}
	arch_irq_restore(flags);
}

void runtime_UnlockOSThread(void)
{
	unsigned long flags = arch_irq_save();
	struct g *gp = this_m()->curg;
	if (gp != NULL && gp->lockedcount > 0 && --gp->lockedcount == 0)
		gp->lockedcpu = 0;
	arch_irq_restore(flags);
}

void preempt_disable(void)
{
	unsigned long flags = arch_irq_save();
	this_m()->preemptoff++;
	arch_irq_restore(flags);
}

void preempt_enable(void)
{
	unsigned long flags = arch_irq_save();
	struct m *mp = this_m();
	/* With interrupts off the caller is inside a critical section: the
	 * preemption waits for the next interrupt. */
	if (--mp->preemptoff == 0 && mp->curg != NULL && mp->curg->preempt &&
	    arch_irq_flags_enabled(flags))
		switch_to_scheduler(SWITCH_YIELD);
	arch_irq_restore(flags);
}

void runtime_interrupt_return(void)
{
	struct m *mp = this_m();
	if (mp == NULL || mp->curg == NULL || !mp->curg->preempt || mp->preemptoff != 0)
		return;
	switch_to_scheduler(SWITCH_YIELD);
}

/* ---- Start ------------------------------------------------------------- */

/* Where every CPU but the boot one enters the scheduler. */
static _Noreturn void secondary_enter(void)
{
	arch_irq_save();
	schedule_loop();
}

/* Sets up the ms and the first GOMAXPROCS ps, makes main (main_fn(arg))
 * goroutine 1 on a STACK_MAIN_SIZE reservation, starts every CPU's
 * scheduler and enters the boot CPU's. */
_Noreturn void schedinit(void (*main_fn)(void *arg), void *arg)
{
	arch_irq_save();
	asyncpreemptoff = godebug_int("asyncpreemptoff", 0) != 0;
	ncpu = 0;
	for (int i = 0; i < MAX_CPUS; i++) {
		struct cpu *c = &cpus[i];
		if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
			continue;
		ncpu = i + 1;
		struct m *mp = &allm[i];
		mp->cpu = c;
		mp->rand = 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1) ^ nanotime();
		mp->timer_armed = INT64_MAX;
		mp->lockedq_lock = (struct spinlock)SPINLOCK_INIT;
		allp[i].id = i;
		allp[i].m = mp;
		c->sched = mp;
	}
	int procs =
	    settings.gomaxprocs > 0 && settings.gomaxprocs < ncpu ? settings.gomaxprocs : ncpu;
	sched.gomaxprocs = procs;
	for (int i = 0; i < procs; i++) {
		allp[i].active = true;
		allm[i].p = &allp[i];
	}
	schedtrace_init();
	ancestors_init();
	stack_init();
	newproc(main_fn, arg, STACK_MAIN_SIZE, STACK_MAIN_INITIAL, 0, false);
	for (int i = 0; i < ncpu; i++)
		if (cpus[i].sched != NULL)
			cpus[i].timer_handler = sched_tick;
	__atomic_store_n(&sched.started, true, __ATOMIC_RELEASE);
	smp_enter_scheduler(secondary_enter);
	schedule_loop();
}
