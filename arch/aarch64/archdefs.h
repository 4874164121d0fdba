/*
 * aarch64 constants and inline helpers that kernel/ may use (see
 * kernel/arch.h). System register bits live in arch/aarch64/aarch64.h.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH  "arm64"
#define ARCH_MACHINE "aarch64"

/* Frame record at x29: [x29] = caller's x29, [x29+8] = return address. */
#define ARCH_FRAME_LINK_OFFSET 0
#define ARCH_FRAME_RET_OFFSET  8
/* Leaf functions keep full records too (-mno-omit-leaf-frame-pointer). */
#define ARCH_FRAME_LEAF_FP_ONLY 0

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct cpu;

/* Per-CPU state only the aarch64 layer uses, embedded in struct cpu.
 * Written by the CPU itself in arch_cpu_init, before it is online; read
 * by any CPU afterwards (to send it an SGI). */
struct arch_cpu {
	uint64_t mpidr;     /* MPIDR_EL1 affinity fields */
	uint8_t gic_target; /* GICv2: this CPU interface's bit in ITARGETSR/SGIR */
};

/* The running CPU: TPIDR_EL1 holds its struct cpu. The boot code sets it
 * before any kernel code runs. */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}

/* DAIF's IRQ mask bit, as mrs reads it. */
#define AARCH64_DAIF_I 0x80

/* Disables interrupts on this CPU and returns the previous state. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(flags) : : "memory");
	return flags;
}

/* Restores all of DAIF, as arch_irq_save read it. */
static inline void arch_irq_restore(unsigned long flags)
{
	__asm__ volatile("msr daif, %0" : : "r"(flags) : "memory");
}

/* Whether flags (from arch_irq_save) had interrupts enabled (DAIF.I
 * clear). */
static inline bool arch_irq_flags_enabled(unsigned long flags)
{
	return (flags & AARCH64_DAIF_I) == 0;
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

/* The body of a spin-wait loop. */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("yield" : : : "memory");
}
#endif

#endif
