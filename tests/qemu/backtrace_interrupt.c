/*
 * Frame-pointer walks cross interrupt frames. A goroutine spins in
 * spin_top -> spin_mid -> spin_leaf until the timer interrupt preempts it
 * (GOMAXPROCS=1: main runs only while it is switched out), and main walks
 * its stack from its saved context: up from the scheduler's switch (tail
 * calls may leave nothing of it but the entry code's call site), through
 * the interrupt entry, then on at the pc the interrupt stopped, printed
 * "(interrupted)" so the runner looks up that pc itself, and the chain
 * that called it. Then a timer callback, in the timer interrupt that
 * stops main spinning in main_top -> main_mid -> main_leaf, walks from its
 * own frame through the handler and the entry code into main's frames.
 * The leaf functions keep no return address in a frame record (x86_64:
 * no record at all; riscv64: only the saved frame pointer), so their
 * callers come from the trap frame.
 *
 * cmdline: GOMAXPROCS=1
 * variant: smp2 --smp 2
 * expect-order: preempted goroutine: | (interrupted) spin_leaf at | spin_mid at | spin_top at
 * expect-order: spin_top at | spinner at | end of walk
 * expect-order: timer interrupt: | walk_in_interrupt at | (interrupted) main_leaf at
 * x86_64.expect-order: timer interrupt: | trap_save at | (interrupted) main_leaf at
 * aarch64.expect-order: timer interrupt: | irq_entry at | (interrupted) main_leaf at
 * riscv64.expect-order: timer interrupt: | interrupt_entry at | (interrupted) main_leaf at
 * expect-order: (interrupted) main_leaf at | main_mid at | main_top at | end of walk
 * expect-line: crossed the interrupt frame of a preempted goroutine
 * expect-line: crossed the interrupt frame from a timer callback
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "runtime/proc.h"
#include "runtime/timer.h"

static volatile bool spinning, stop, spinner_done;
static struct g *volatile spinner_g;
static volatile uint64_t spins;

/* A leaf (it calls nothing; on riscv64 it saves only s0) that spins until
 * main says stop. */
static __attribute__((noipa)) uint64_t spin_leaf(void)
{
	spinning = true;
	while (!stop)
		spins++;
	return spins;
}

/* Adding after the call keeps it from being a tail call: each function
 * keeps its frame. */
static __attribute__((noipa)) uint64_t spin_mid(void)
{
	return spin_leaf() + 1;
}

static __attribute__((noipa)) uint64_t spin_top(void)
{
	return spin_mid() + 1;
}

static void spinner(void *arg)
{
	(void)arg;
	spinner_g = getg();
	spins = spin_top();
	spinner_done = true;
}

/* Whether a walk has an exact frame after its first: it crossed a trap
 * frame. */
static bool crossed(const struct backtrace_frame *frames, int n)
{
	for (int i = 1; i < n; i++)
		if (frames[i].exact)
			return true;
	return false;
}

/* Main's part while the spinner is switched out: prints the walk of its
 * stack from its saved context, interrupts off so it stays switched out. */
static void walk_preempted(void)
{
	struct backtrace_frame frames[BACKTRACE_MAX_FRAMES];
	unsigned long flags = arch_irq_save();
	struct g *gp = spinner_g;
	struct stack_bounds stack = {gp->stack_mapped_lo, gp->stack_hi};
	uintptr_t pc = arch_context_pc(gp->sched_sp), fp = arch_context_fp(gp->sched_sp);
	console_printf("walk of the preempted goroutine:\n");
	backtrace_print(pc, fp, stack);
	console_printf("end of walk\n");
	int n = backtrace_walk(pc, fp, stack, frames, BACKTRACE_MAX_FRAMES);
	arch_irq_restore(flags);
	if (crossed(frames, n))
		printf("crossed the interrupt frame of a preempted goroutine\n");
	else
		printf("FAIL: the walk of the preempted goroutine has no interrupted frame\n");
}

static volatile bool in_leaf, walked, missed;
static volatile uint64_t main_spins;

/* Runs in the timer interrupt that stopped main_leaf. If the timer came
 * due earlier (main not yet in main_leaf, or switched out: the callback
 * then runs in the scheduler), it only says so, and main tries again. */
static __attribute__((noipa)) void walk_in_interrupt(void)
{
	struct backtrace_frame frames[BACKTRACE_MAX_FRAMES];
	uintptr_t fp = arch_current_fp();
	struct stack_bounds stack = stack_bounds_of(fp);
	int n =
	    backtrace_walk((uintptr_t)walk_in_interrupt, fp, stack, frames, BACKTRACE_MAX_FRAMES);
	if (!in_leaf || !crossed(frames, n)) {
		missed = true;
		return;
	}
	console_printf("walk from a timer interrupt:\n");
	backtrace_print((uintptr_t)walk_in_interrupt, fp, stack);
	console_printf("end of walk\n");
	walked = true;
}

static void on_timer(void *arg, uintptr_t seq, int64_t delta)
{
	(void)arg, (void)seq, (void)delta;
	walk_in_interrupt();
}

static struct timer tick = {.f = on_timer};

static __attribute__((noipa)) uint64_t main_leaf(void)
{
	in_leaf = true;
	while (!walked && !missed)
		main_spins++;
	return main_spins;
}

static __attribute__((noipa)) uint64_t main_mid(void)
{
	return main_leaf() + 1;
}

static __attribute__((noipa)) uint64_t main_top(void)
{
	return main_mid() + 1;
}

int main(void)
{
	go(spinner, NULL);
	/* The spinner is switched out whenever main runs; wait until that
	 * happened inside spin_leaf, by preemption. */
	for (int tries = 0;
	     !spinning || __atomic_load_n(&spinner_g->status, __ATOMIC_ACQUIRE) != G_RUNNABLE;
	     tries++) {
		if (tries == 200) {
			printf("FAIL: the spinner was never preempted in spin_leaf\n");
			return 1;
		}
		time_Sleep(10 * time_Millisecond);
	}
	walk_preempted();
	stop = true;
	while (!spinner_done)
		time_Sleep(time_Millisecond);

	/* A yield starts a new time slice, so the timer comes due 1 ms into
	 * it, long before main is preempted. */
	for (int tries = 0; !walked; tries++) {
		if (tries == 20) {
			printf("FAIL: the timer never interrupted main_leaf\n");
			return 1;
		}
		in_leaf = missed = false;
		runtime_Gosched();
		unsigned long flags = timer_lock(&tick, true);
		timer_add(&tick, (int64_t)nanotime() + 1000000);
		timer_unlock(&tick, flags);
		main_top();
	}
	printf("crossed the interrupt frame from a timer callback\n");
	return 0;
}
