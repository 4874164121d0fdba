/*
 * The scheduler's own state, shared by its files (proc.c: goroutines and
 * the scheduling loop; runq.c: run queues and stealing; procresize.c:
 * GOMAXPROCS; schedtrace.c: GODEBUG=schedtrace and the deadlock report).
 * Other runtime files use proc.h.
 *
 * Go's vocabulary, mapped onto hardware. An m is a CPU: exactly one per
 * CPU, created at boot, its scheduler context (Go's g0) running on the
 * CPU's own stack with interrupts off. A p is the right to run goroutines:
 * GOMAXPROCS of them, p i always run by CPU i (there is one m per CPU and
 * no blocking system calls, so a p never needs to move to another m); a
 * CPU without a p runs only goroutines wired to it (LockOSThread).
 */
#ifndef GORT_RUNTIME_SCHED_H
#define GORT_RUNTIME_SCHED_H

#include "kernel/cpu.h"
#include "kernel/spinlock.h"
#include "runtime/proc.h"
#include "runtime/stack.h"
#include "runtime/timer.h"

/* Go's local run queue size. */
#define RUNQ_SIZE 256

/* A goroutine runs at most this long before the timer interrupt preempts
 * it (Go's forcePreemptNS). */
#define PREEMPT_NS (10 * 1000 * 1000)

/* Every this many schedules a p looks at the global queue first, so its
 * goroutines are not starved by a busy local queue (Go's 61). */
#define GLOBAL_QUEUE_TICK 61

/* Why a goroutine switched to the scheduler context (m.switch_why). */
enum switch_why {
	SWITCH_PARK,  /* gopark: call unlockf, the goroutine waits */
	SWITCH_YIELD, /* Gosched or preemption: to the global queue */
	SWITCH_EXIT,  /* the goroutine ended: free its stack */
};

struct m;

struct p {
	int id;
	struct m *m; /* the CPU that runs it (cpus[id]'s m); set once */

	/* Local run queue, Go's lock-free ring: only the owner m adds (tail,
	 * runnext), any m takes (head, with compare-and-swap). */
	uint32_t runqhead; /* atomic */
	uint32_t runqtail; /* atomic; written by the owner only */
	struct g *runq[RUNQ_SIZE];
	struct g *runnext; /* atomic: the goroutine to run next, inheriting the slice */

	/* Written by the owner with interrupts off. */
	uint32_t schedtick; /* schedules that started a new time slice */
	int64_t slicestart; /* nanotime() when the current slice began */
	uint32_t nswitch;   /* goroutines started by this p's CPU; atomic (thieves read it) */

	/* Under sched.lock. */
	bool idle;     /* its CPU has nothing to run and halts */
	bool active;   /* one of the GOMAXPROCS ps */
	bool retiring; /* GOMAXPROCS shrank below it: its CPU gives it up */

	struct timers timers;          /* its timers (timer.h; their own lock) */
	struct stack_cache stackcache; /* dead stacks for reuse; owner, interrupts off */
};

struct m {
	struct cpu *cpu;
	struct p *p;     /* the p this CPU runs; changed by the CPU itself under sched.lock */
	struct g *curg;  /* the goroutine running here, NULL in the scheduler */
	uintptr_t g0_sp; /* the scheduler context while a goroutine runs */

	/* What the goroutine that switched here asked for (written by it
	 * with interrupts off just before the switch). */
	enum switch_why switch_why;
	bool (*unlockf)(struct g *gp, void *arg);
	void *unlockarg;

	uint64_t rand;       /* cheaprand state */
	int preemptoff;      /* preempt_disable nesting */
	bool spinning;       /* woken by wakep to look for work (counted in sched.nmspinning) */
	int64_t spin_until;  /* while spinning and finding nothing: when it gives up (0: unset) */
	bool halted;         /* in arch_idle (schedtrace's idle threads) */
	int64_t timer_armed; /* the nanotime() deadline this CPU's timer is set for */

	/* Goroutines wired to this CPU (LockOSThread) that are runnable:
	 * any CPU adds, this one takes. lockedq_lock, interrupts off. */
	struct spinlock lockedq_lock;
	struct g *lockedq_head, *lockedq_tail;
};

/* Spin-wait loops in the scheduler pause this many times between looks at
 * the clock or at shared state: a clock read costs far more than a pause
 * under emulation, and shared state read in a tight loop slows the CPU
 * that writes it (on hardware, by taking its cache line away). */
#define SPIN_RELAX_BATCH 64

/* Global scheduler state. lock is taken with interrupts off; it protects
 * the global run queue, the ps' idle/active/retiring flags, npidle and
 * gomaxprocs changes. */
struct sched {
	struct spinlock lock;
	struct g *runqhead, *runqtail;
	int32_t runqsize;    /* atomic reads outside the lock */
	int32_t npidle;      /* atomic reads outside the lock */
	int32_t nmspinning;  /* atomic */
	int32_t gomaxprocs;  /* atomic reads outside the lock */
	int32_t ngoroutines; /* atomic: live goroutines (NumGoroutine) */
	int64_t goidgen;     /* atomic: the last goroutine id handed out */
	bool main_goexited;  /* the main goroutine called Goexit */
	bool started;        /* the scheduling loops run */
};

extern struct sched sched;
extern struct p allp[MAX_CPUS];
extern struct m allm[MAX_CPUS];
extern int ncpu; /* CPUs online when the scheduler started */

/* Every goroutine whose struct g is mapped: the live ones, and dead ones
 * whose stacks wait warm for reuse (status G_DEAD, skipped by every
 * walk), so reusing a stack needs no list update. allglock, interrupts
 * off. */
extern struct spinlock allglock;
extern struct g *allgs;
void allgadd(struct g *gp);
void allgremove(struct g *gp); /* before its top page is unmapped */

/* This CPU's m. Interrupts off (or preemption disabled). */
static inline struct m *this_m(void)
{
	return this_cpu()->sched;
}

/* runq.c. runqput/runqget: the owner, interrupts off. */
void runqput(struct p *pp, struct g *gp, bool next);
struct g *runqget(struct p *pp, bool *inherit);
bool runqempty(struct p *pp);
uint32_t runqsize(struct p *pp);
/* Takes half of another p's queue into pp's, returning one to run. */
struct g *runqsteal(struct p *pp, struct p *victim, bool stealnext);
/* The global queue: sched.lock held. */
void globrunqput(struct g *gp);
struct g *globrunqget(struct p *pp, int max);
/* Moves every goroutine of pp's local queue to the global one; sched.lock
 * held, pp's owner. */
void runq_to_global(struct p *pp);

/* proc.c */
void wakep(void);
void lockedq_put(struct m *mp, struct g *gp);
/* Starts or stops p id as one of the GOMAXPROCS; sched.lock held. */
void p_activate(struct p *pp);

/* schedtrace.c */
void schedtrace_init(void);
/* Called by CPU 0's timer tick: prints the trace when it is due. */
void schedtrace_tick(int64_t now);
/* When the next trace is due (INT64_MAX: never); CPU 0 arms for it. */
int64_t schedtrace_next(void);
/* The deadlock check, when every p is idle; sched.lock held. */
void checkdead(void);

#endif
