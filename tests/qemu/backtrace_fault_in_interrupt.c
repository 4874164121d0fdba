/*
 * A fault inside an interrupt handler (a timer callback that writes
 * through a nil pointer, in the timer interrupt that stops main spinning
 * in main_top -> main_mid -> main_leaf) is reported with a backtrace that
 * starts at the faulting instruction, goes up through the interrupt
 * handler to the interrupt entry, and crosses its trap frame into the code
 * the interrupt stopped, printed "(interrupted)": two traps, one inside
 * the other, walked in one backtrace.
 *
 * cmdline: GOMAXPROCS=1
 * expect-exit: 2
 * expect-contains: unexpected exception:
 * expect-contains: addr=0x10
 * expect-order: backtrace: | write_nil at | (interrupted) main_leaf at | main_mid at | main_top at
 * expect-order: main_top at | fatal error: unexpected exception
 * x86_64.expect-order: backtrace: | write_nil at | trap_save at | (interrupted) main_leaf at
 * aarch64.expect-order: backtrace: | write_nil at | irq_entry at | (interrupted) main_leaf at
 * riscv64.expect-order: backtrace: | write_nil at | interrupt_entry at | (interrupted) main_leaf
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/clock.h"
#include "runtime/timer.h"

static volatile bool in_leaf, fired, missed;
static volatile uint64_t main_spins;

static __attribute__((noipa)) void write_nil(volatile uint32_t *p)
{
	p[4] = 1;
}

/* Whether the caller runs in an interrupt: a walk from it crosses a trap
 * frame. */
static __attribute__((noipa)) bool in_interrupt(void)
{
	struct backtrace_frame frames[BACKTRACE_MAX_FRAMES];
	uintptr_t fp = arch_current_fp();
	int n = backtrace_walk((uintptr_t)in_interrupt, fp, stack_bounds_of(fp), frames,
			       BACKTRACE_MAX_FRAMES);
	for (int i = 1; i < n; i++)
		if (frames[i].exact)
			return true;
	return false;
}

/* Runs in the timer interrupt that stopped main_leaf. If the timer came
 * due earlier (main not yet in main_leaf, or switched out: the callback
 * then runs in the scheduler), it only says so, and main tries again. */
static void on_timer(void *arg, uintptr_t seq, int64_t delta)
{
	(void)seq, (void)delta;
	if (!in_leaf || !in_interrupt()) {
		missed = true;
		return;
	}
	write_nil(arg);
	fired = true;
}

static struct timer tick = {.f = on_timer};

static __attribute__((noipa)) uint64_t main_leaf(void)
{
	in_leaf = true;
	while (!fired && !missed)
		main_spins++;
	return main_spins;
}

/* Adding after the call keeps it from being a tail call: each function
 * keeps its frame. */
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
	volatile uint32_t *nil = NULL;
	__asm__ volatile("" : "+r"(nil));
	tick.arg = (void *)(uintptr_t)nil;
	/* A yield starts a new time slice, so the timer comes due 1 ms into
	 * it, long before main is preempted. */
	for (int tries = 0; tries < 20; tries++) {
		in_leaf = missed = false;
		runtime_Gosched();
		unsigned long flags = timer_lock(&tick, true);
		timer_add(&tick, (int64_t)nanotime() + 1000000);
		timer_unlock(&tick, flags);
		main_top();
	}
	printf("FAIL: the timer never interrupted main_leaf\n");
	return 1;
}
