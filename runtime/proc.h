/*
 * The scheduler's interface to the rest of the runtime: goroutines (g),
 * processors (p) and the CPUs that run them (Go's m: one per CPU, never
 * created on demand). See proc.c for the algorithm.
 *
 * Blocking. A goroutine blocks with gopark: it names a lock-release
 * function and a wait reason, and the scheduler switches to this CPU's
 * scheduler context (Go's g0, the CPU's own stack) before calling the
 * release function, so a waker that takes the same lock always finds the
 * goroutine's state saved and can make it runnable with goready. This is
 * Go's park_m protocol; the lock is a spinlock taken with interrupts off
 * (spin_lock_irqsave), held across gopark and released by unlockf.
 *
 * Interrupts. Runtime code that holds a spinlock, or touches per-CPU or
 * per-P state, runs with interrupts off, which is also what keeps the
 * timer interrupt from preempting it ("never preempts inside the
 * runtime's critical sections"). gopark and goready are called with
 * interrupts off.
 */
#ifndef GORT_RUNTIME_PROC_H
#define GORT_RUNTIME_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/console.h"
#include "kernel/spinlock.h"

struct ancestors;
struct p;
struct sudog;
struct gort_scope_frame;
struct panic;

/* Goroutine states, Go's names and numbers (schedtrace prints them). */
enum gstatus {
	G_IDLE = 0,     /* being created */
	G_RUNNABLE = 1, /* on a run queue */
	G_RUNNING = 2,  /* on a CPU */
	G_WAITING = 4,  /* parked (gopark) */
	G_DEAD = 6,     /* exited; its stack waits for reuse */
};

/*
 * A goroutine. It lives at the top of its own stack reservation (stack.c),
 * so it costs no memory of its own. Fields are written by the goroutine
 * itself or, while it is not running, by whoever holds it (a run queue's
 * owner, the lock it parked under), unless the comment says otherwise.
 */
struct g {
	uintptr_t sched_sp;     /* saved context (arch_context_switch) while not running */
	int64_t goid;           /* Go's goroutine id: main is 1 */
	int64_t parentgoid;     /* the goroutine that started it (0 for main) */
	struct ancestors *ancestors; /* GODEBUG=tracebackancestors (ancestors.h), or NULL */
	uint32_t status;        /* enum gstatus; atomic */
	const char *waitreason; /* while G_WAITING: "chan receive", "sleep", ... */
	int64_t waitsince;      /* nanotime() when it parked */
	struct g *schedlink;    /* run queue and free list link */

	/* The stack: reservation [stack_base, stack_base + stack_size), the
	 * guard page at stack_base, mapped pages [stack_mapped_lo, stack_hi);
	 * the goroutine's sp starts just below this struct (stack_hi). */
	uintptr_t stack_base;
	size_t stack_size;
	uintptr_t stack_mapped_lo; /* written by the stack fault handler */
	uintptr_t stack_hi;

	void (*fn)(void *arg); /* the function the goroutine runs */
	void *arg;
	uintptr_t gopc; /* the pc of the go statement (for tracebacks) */

	/* Wake-up parameters (Go's g.param and sudog.success), written by the
	 * waker before goready. */
	void *param;
	struct sudog *waiting; /* the sudogs of a select, in lock order */
	uint32_t selectdone;   /* atomic, 0 or 1: a select case has won (a word:
				* riscv64 has no byte compare-and-swap) */

	int lockedcpu;               /* LockOSThread: the CPU id + 1 it is wired to, 0 if none */
	int lockedcount;             /* nesting of LockOSThread calls */
	bool preempt;                /* a preemption request (the 10 ms tick) */
	bool system;                 /* the runtime's own (Go's isSystemGoroutine): not in
				      * NumGoroutine, in tracebacks only with GOTRACEBACK=system */
	struct g *allprev, *allnext; /* allgs, under allglock */
	bool inallgs;                /* on allgs: live, or dead with its top page mapped */

	/* Deferred calls and panics (runtime/panic.h); the goroutine's own. */
	struct gort_scope_frame *scope; /* innermost open scope of gort_defer */
	struct panic *panic;            /* newest running panic or Goexit */

	/* The fault that sigpanic turns into a panic (sigpanic.c; Go's g.sig,
	 * sigcode0, sigcode1, sigpc): written by the trap handler on the
	 * goroutine's own CPU just before it enters sigpanic, cleared when
	 * the panic is recovered; the report prints them. sig 0: none. */
	int sig;               /* TRAP_SIGSEGV, TRAP_SIGFPE (kernel/trap.h) */
	int sigcode0;          /* the signal's code */
	uintptr_t sigcode1;    /* the faulting address */
	uintptr_t sigpc;       /* the faulting instruction */
	bool paniconfault;     /* debug_SetPanicOnFault */

	/* Its stdio output, a line at a time. Last: a reused g is zeroed up
	 * to out.buf, whose old bytes len makes dead (stack.c, g_reuse). */
	struct console_line out;
};

/* The running goroutine; NULL in the scheduler context and before the
 * scheduler starts. */
struct g *getg(void);

/* Parks the running goroutine with reason (Go's waitReason strings: "chan
 * receive", "chan send", "select", "select (no cases)", "chan send (nil
 * chan)", "chan receive (nil chan)", "sync.Mutex.Lock", "sync.RWMutex.Lock",
 * "sync.RWMutex.RLock", "sync.WaitGroup.Wait", "sync.Cond.Wait",
 * "semacquire", "sleep", "timer goroutine (idle)"). Called with interrupts
 * off; in the scheduler context, unlockf(gp, arg) runs after gp's state is
 * saved (it releases the lock the caller holds); if it returns false, gp
 * resumes at once. unlockf may be NULL. Returns (interrupts still off)
 * once somebody called goready(gp). */
void gopark(bool (*unlockf)(struct g *gp, void *arg), void *arg, const char *reason);

/* Makes a parked goroutine runnable: it goes to this CPU's P as runnext
 * (it runs next, as in Go) and an idle P is woken to take work if any.
 * Interrupts off; any context, interrupt handlers included. */
void goready(struct g *gp);

/* A uniformly random number for the runtime's choices (select order,
 * stealing order): per-CPU state, interrupts off. */
uint32_t cheaprand(void);
uint32_t cheaprandn(uint32_t n); /* in [0, n) */

/* A panic with Go's message for a runtime error made by the program
 * ("send on closed channel", "sync: negative WaitGroup counter"), as a
 * runtime.Error value that the program may recover (include/gort/panic.h);
 * unrecovered, it prints "panic: <msg>" and the goroutine's traceback and
 * exits with status 2. msg must be a static string. Called with interrupts
 * on and no lock held (else it is the fatal error "panic holding locks"). */
_Noreturn void gopanic_string(const char *msg);

/* A fatal error in the program's use of the runtime (Go's fatal, e.g.
 * "sync: unlock of unlocked mutex"): prints "fatal error: <msg>" and the
 * goroutine's traceback; exits with status 2. */
_Noreturn void gofatal(const char *msg);

/* Disables and enables preemption of the running goroutine, nested (Go's
 * acquirem/releasem), for runtime code that runs with interrupts on but
 * must stay on one CPU. preempt_enable yields to a preemption requested
 * meanwhile, unless interrupts are off. */
void preempt_disable(void);
void preempt_enable(void);

/* gort_go for a goroutine of the runtime's own (g.system). */
void gort_go_system(void (*fn)(void *arg), void *arg);

/* Starts the scheduler on every CPU with main_fn(arg) as goroutine 1 (on
 * a 64 MiB stack); the boot CPU enters its scheduler and never returns.
 * Boot CPU, once, by runtime_start. */
_Noreturn void schedinit(void (*main_fn)(void *arg), void *arg);

#endif
