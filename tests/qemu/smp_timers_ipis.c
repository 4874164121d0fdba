/*
 * Every CPU the machine has comes up, counts its own timer interrupts and
 * answers an IPI from the CPU main runs on. The CPU count QEMU was given is
 * argv[1].
 *
 * cmdline: -- 1
 * variant: smp2 --smp 2 --cmdline "-- 2"
 * variant: smp4 --smp 4 --cmdline "-- 4"
 * x86_64.variant: microvm4 --machine microvm --smp 4 --cmdline "-- 4"
 * aarch64.variant: gicv3 --machine virt,gic-version=3 --smp 4 --cmdline "-- 4"
 * aarch64.variant: el2gicv3 --machine virt,virtualization=on,gic-version=3 --smp 4 --cmdline "-- 4"
 * expect-line: all CPUs online
 * expect-line: every CPU counted its own timer interrupts
 * expect-line: every CPU answered its IPI
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/smp.h"

#define TICK_NS   1000000ULL   /* 1 ms */
#define WATCH_NS  300000000ULL /* 300 ms */
#define MIN_TICKS 20           /* of about 300 expected: emulation is slow */

/* The scheduler's timer handler on each CPU, borrowed during the watch
 * and handed back (and called once, so it re-arms) afterwards. */
static void (*scheduler_tick[MAX_CPUS])(struct cpu *c);

static void rearm(struct cpu *c)
{
	(void)c;
	arch_timer_set(clock_deadline(nanotime() + TICK_NS));
}

static void start_ticking(void *arg)
{
	(void)arg;
	struct cpu *c = this_cpu();
	scheduler_tick[c->id] = c->timer_handler;
	c->timer_handler = rearm;
	rearm(c);
}

static void stop_ticking(void *arg)
{
	(void)arg;
	struct cpu *c = this_cpu();
	c->timer_handler = scheduler_tick[c->id];
	arch_timer_set(UINT64_MAX);
	if (c->timer_handler != NULL)
		c->timer_handler(c);
}

static void report_id(void *arg)
{
	*(int *)arg = this_cpu()->id;
}

int main(int argc, char **argv)
{
	int want = argc > 1 ? atoi(argv[1]) : 1, n = runtime_NumCPU(), failed = 0;
	printf("%d CPUs online, %d expected\n", n, want);
	if (n != want) {
		printf("FAIL: CPU count\n");
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf("cpu %d: hardware id %#llx\n", i, (unsigned long long)cpus[i].hwid);
	printf("all CPUs online\n");

	uint64_t before[MAX_CPUS];
	for (int i = 0; i < n; i++) {
		before[i] = __atomic_load_n(&cpus[i].timer_interrupts, __ATOMIC_RELAXED);
		smp_call(&cpus[i], start_ticking, NULL);
	}
	uint64_t end = nanotime() + WATCH_NS;
	while (nanotime() < end)
		arch_cpu_relax();
	for (int i = 0; i < n; i++) {
		smp_call(&cpus[i], stop_ticking, NULL);
		uint64_t ticks =
		    __atomic_load_n(&cpus[i].timer_interrupts, __ATOMIC_RELAXED) - before[i];
		printf("cpu %d: %llu timer interrupts in 300 ms\n", i, (unsigned long long)ticks);
		if (ticks < MIN_TICKS) {
			printf("FAIL: cpu %d took too few timer interrupts\n", i);
			failed = 1;
		}
	}
	if (!failed)
		printf("every CPU counted its own timer interrupts\n");

	/* main is a goroutine and may run on any CPU: wire it to the one it
	 * is on, and have every other CPU answer. */
	runtime_LockOSThread();
	unsigned long flags = arch_irq_save();
	int me = this_cpu()->id;
	arch_irq_restore(flags);
	for (int i = 0; i < n; i++) {
		if (i == me)
			continue;
		uint64_t ipis = __atomic_load_n(&cpus[i].ipis, __ATOMIC_RELAXED);
		int id = -1;
		smp_call(&cpus[i], report_id, &id);
		if (id != i || __atomic_load_n(&cpus[i].ipis, __ATOMIC_RELAXED) == ipis) {
			printf("FAIL: cpu %d answered as %d\n", i, id);
			failed = 1;
		}
	}
	if (!failed)
		printf("every CPU answered its IPI\n");
	return failed;
}
