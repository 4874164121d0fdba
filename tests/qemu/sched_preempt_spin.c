/*
 * With GOMAXPROCS=1, a goroutine that never yields does not starve the
 * others. The timer interrupt preempts it after its 10 ms slice, so main,
 * woken from a sleep, runs again and exits. With GODEBUG=asyncpreemptoff=1
 * nothing preempts the spinner and main starves. A watchdog timer (it runs
 * in the timer interrupt, not in a goroutine) notices that main never ran
 * again and ends the machine with status 3
 * (sched_asyncpreemptoff_starves.c runs this program that way).
 *
 * cmdline: GOMAXPROCS=1
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: spinner started
 * expect-line: main ran again beside a goroutine that never yields
 * expect-not-contains: FAIL
 * expect-not-contains: watchdog
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/clock.h"
#include "runtime/timer.h"

#define WATCHDOG_NS (2LL * 1000 * 1000 * 1000)

static volatile uint64_t spins;
static volatile bool main_back;

static void spinner(void *arg)
{
	(void)arg;
	printf("spinner started\n");
	for (;;)
		spins++;
}

/* Runs in the timer interrupt of the CPU running GOMAXPROCS' one p. */
static void watchdog(void *arg, uintptr_t seq, int64_t delta)
{
	(void)arg, (void)seq, (void)delta;
	if (!main_back) {
		printf("watchdog: main starved by a goroutine that never yields\n");
		gort_exit(3);
	}
}

static struct timer dog = {.f = watchdog};

int main(void)
{
	if (runtime_GOMAXPROCS(0) != 1) {
		printf("FAIL: GOMAXPROCS is %d\n", runtime_GOMAXPROCS(0));
		return 1;
	}
	unsigned long flags = timer_lock(&dog, true);
	timer_add(&dog, (int64_t)nanotime() + WATCHDOG_NS);
	timer_unlock(&dog, flags);
	go(spinner, NULL);
	time_Sleep(50 * time_Millisecond);
	main_back = true;
	if (spins == 0)
		printf("FAIL: the spinner did not run while main slept\n");
	printf("main ran again beside a goroutine that never yields\n");
	if (getenv("GODEBUG") != NULL)
		printf("FAIL: main ran with preemption off\n");
	return 0;
}
