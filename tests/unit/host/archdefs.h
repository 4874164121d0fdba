/*
 * The host's stand-in for arch/<arch>/archdefs.h, so that unit tests can
 * compile kernel/ and runtime/ code that turns interrupts off or asks which
 * CPU it runs on (the allocator). Each host thread plays one CPU: it sets
 * host_cpu to its struct cpu; interrupts do not exist, so saving and
 * restoring them does nothing.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH            "host"
#define ARCH_MACHINE           "host"
#define ARCH_FRAME_LINK_OFFSET 0
#define ARCH_FRAME_RET_OFFSET  8

#include <stdint.h>

struct cpu;

struct arch_cpu {
	int unused;
};

/* The CPU this thread plays (kernel_host.c). */
extern _Thread_local struct cpu *host_cpu;

static inline struct cpu *arch_this_cpu(void)
{
	return host_cpu;
}

static inline unsigned long arch_irq_save(void)
{
	return 0;
}

static inline void arch_irq_restore(unsigned long flags)
{
	(void)flags;
}

static inline void arch_irq_enable(void)
{
}

static inline void arch_cpu_relax(void)
{
	__asm__ volatile("" : : : "memory");
}

#endif
