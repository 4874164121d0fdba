/*
 * The CPUs: one struct cpu per processor the firmware describes, brought up
 * at boot and then each running kernel code on its own stack, with its own
 * timer and interrupt state.
 *
 * cpus[0] is the boot CPU. The others are numbered in the order the
 * firmware lists them and started by smp_start (arch_cpu_start); each then
 * runs kernel_secondary_main and idles, halted until an interrupt arrives.
 * Every field is written by its own CPU with interrupts off unless its
 * comment says otherwise; other CPUs read them with atomic loads.
 */
#ifndef GORT_KERNEL_CPU_H
#define GORT_KERNEL_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include <archdefs.h>

#define MAX_CPUS       64
#define CPU_STACK_SIZE (64 * 1024)

/* Each CPU's exception stack (kernel/arch.h, Where traps run): deep enough
 * for a page fault that maps a stack page, or for a fatal report. */
#define EXCEPTION_STACK_SIZE (32 * 1024)

struct smp_call;

struct cpu {
	struct cpu *self; /* first: the arch's per-CPU register points here */
	int id;           /* index in cpus[] */
	uint64_t hwid;    /* APIC id, MPIDR affinity or hart id */
	bool online;      /* set by the CPU itself once it takes interrupts */
	uintptr_t stack_top;
	uintptr_t exception_stack_top; /* set before the CPU starts */

	/* Timer: the handler this CPU's timer interrupt calls (NULL: none),
	 * and how many timer interrupts it has taken. */
	void (*timer_handler)(struct cpu *c);
	uint64_t timer_interrupts;

	/* IPIs: calls waiting for this CPU, pushed by any CPU (lock-free
	 * list, see smp.c), and how many IPIs it has taken. */
	struct smp_call *calls;
	uint64_t ipis;

	/* Fault probing (probe.c): while probing, a fault on this CPU
	 * returns to probe_env instead of being reported. */
	bool probing;
	jmp_buf probe_env;

	/* The scheduler's state for this CPU (runtime/proc.c's struct m),
	 * set before the CPU enters the scheduler; opaque to kernel/. */
	void *sched;

	struct arch_cpu arch;
};

extern struct cpu cpus[MAX_CPUS];

/* The running CPU. */
static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

/* How many CPUs are online (runtime.NumCPU). */
int cpu_online_count(void);

/* Discovers the CPUs, starts every one and waits until each is online (or
 * reports the ones that did not come up). Boot CPU only, once. */
void smp_start(void);

/* Sends every other online CPU into entry (the scheduler), on its own
 * stack with interrupts off; until then they idle. Boot CPU, once. */
void smp_enter_scheduler(void (*entry)(void));

#endif
