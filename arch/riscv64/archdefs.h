/*
 * riscv64 constants and inline helpers that kernel/ may use (see
 * kernel/arch.h). CSR bits live in arch/riscv64/riscv.h.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH  "riscv64"
#define ARCH_MACHINE "riscv64"

/* With frame pointers, s0 points just above the saved pair:
 * [s0-8] = return address, [s0-16] = caller's s0. */
#define ARCH_FRAME_LINK_OFFSET (-16)
#define ARCH_FRAME_RET_OFFSET  (-8)
/* A leaf function saves only the caller's s0, at [s0-8], and keeps its
 * return address in ra (GCC 12 cannot be told otherwise on riscv64):
 * kernel/backtrace.h says how a walk reads such a record. */
#define ARCH_FRAME_LEAF_FP_ONLY 1

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct cpu;

/* The words the trap entry (arch/riscv64/vectors.S) parks registers in
 * while it has none free; vectors.S lays them out. */
#define RISCV_TRAP_SCRATCH_WORDS 8

/* Per-CPU state only the riscv64 layer uses, embedded in struct cpu.
 * Written by the CPU itself in arch_cpu_init, read only by it after,
 * except trap_scratch: only this CPU's trap entry and exit use it, with
 * interrupts off, and this CPU's sscratch holds its address. */
struct arch_cpu {
	uint64_t hartid;
	bool sstc;        /* the timer is the stimecmp CSR, not SBI set_timer */
	int plic_context; /* this hart's S-mode PLIC context; -1: none */
	uint64_t trap_scratch[RISCV_TRAP_SCRATCH_WORDS];
};

/* The running CPU: the tp register holds its struct cpu (gort uses no
 * thread-local storage). The boot code sets it before any kernel code
 * runs. */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

#define RISCV_SSTATUS_SIE 0x2

/* Disables interrupts on this CPU and returns the previous state. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("csrrci %0, sstatus, 2" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & RISCV_SSTATUS_SIE)
		__asm__ volatile("csrsi sstatus, 2" : : : "memory");
}

/* Whether flags (from arch_irq_save) had interrupts enabled. */
static inline bool arch_irq_flags_enabled(unsigned long flags)
{
	return (flags & RISCV_SSTATUS_SIE) != 0;
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("csrsi sstatus, 2" : : : "memory");
}

/* The body of a spin-wait loop. */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("nop" : : : "memory");
}
#endif

#endif
