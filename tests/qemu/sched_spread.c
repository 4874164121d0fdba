/*
 * Work spreads over every CPU: goroutines that compute without blocking,
 * four per CPU, are taken by idle CPUs (woken by IPI, stealing from the
 * busy ones' queues), so each CPU runs some of them. The CPU
 * count QEMU was given is argv[1].
 *
 * cmdline: -- 1
 * variant: smp2 --smp 2 --cmdline "-- 2"
 * variant: smp4 --smp 4 --cmdline "-- 4"
 * expect-line: work ran on every CPU
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/arch.h"
#include "kernel/cpu.h"

#define PER_CPU 4
#define SPIN    20000

static sync_WaitGroup wg;
static uint64_t ran_on; /* bit i: CPU i ran a worker */
static uint64_t all;    /* every CPU's bit */
static time_Time start;

/* Computes, noting where it runs, until every CPU has run a worker (or,
 * if the work never spreads, for half a minute, and the check below
 * fails). There are more workers than CPUs, so an idle CPU always has one
 * to take, however slowly the host schedules it. */
static void worker(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&ran_on, __ATOMIC_RELAXED) != all &&
	       time_Since(start) < 30 * time_Second) {
		for (volatile int i = 0; i < SPIN; i++)
			;
		unsigned long flags = arch_irq_save();
		__atomic_or_fetch(&ran_on, 1ULL << this_cpu()->id, __ATOMIC_RELAXED);
		arch_irq_restore(flags);
	}
	sync_WaitGroup_Done(&wg);
}

int main(int argc, char **argv)
{
	int want = argc > 1 ? atoi(argv[1]) : 1, n = runtime_NumCPU();
	if (n != want || runtime_GOMAXPROCS(0) != n) {
		printf("FAIL: %d CPUs, GOMAXPROCS %d, expected %d\n", n, runtime_GOMAXPROCS(0),
		       want);
		return 1;
	}
	all = n == 64 ? ~0ULL : (1ULL << n) - 1;
	start = time_Now();
	sync_WaitGroup_Add(&wg, PER_CPU * n);
	for (int i = 0; i < PER_CPU * n; i++)
		go(worker, NULL);
	sync_WaitGroup_Wait(&wg);
	for (int i = 0; i < n; i++)
		printf("cpu %d: %s\n", i, ran_on & (1ULL << i) ? "ran work" : "FAIL: idle");
	if (ran_on == all)
		printf("work ran on every CPU\n");
	return 0;
}
