/*
 * x86_64 constants and inline helpers that kernel/ may use (see
 * kernel/arch.h). Hardware register bits live in arch/x86_64/x86.h.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH  "amd64"
#define ARCH_MACHINE "x86_64"

/* Frame record at %rbp: [rbp] = caller's rbp, [rbp+8] = return address. */
#define ARCH_FRAME_LINK_OFFSET 0
#define ARCH_FRAME_RET_OFFSET  8
/* No short records: a leaf function has a full record or, if it needs no
 * stack, none at all (GCC drops its frame pointer even with
 * -mno-omit-leaf-frame-pointer; kernel/backtrace.h, arch_trap_frameless_ret). */
#define ARCH_FRAME_LEAF_FP_ONLY 0

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct cpu;

/* Per-CPU state only the x86_64 layer uses, embedded in struct cpu.
 * Written by the CPU itself with interrupts off. */
struct arch_cpu {
	uint32_t apic_id;        /* this CPU's local APIC id (= cpu.hwid) */
	uint64_t timer_deadline; /* TSC value the timer is armed for; UINT64_MAX: none */
};

/* The running CPU: %gs points at its struct cpu, whose first field is a
 * pointer to itself. The boot code sets %gs before any kernel code runs. */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

#define X86_RFLAGS_IF 0x200

/* Disables interrupts on this CPU and returns the previous state. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("pushfq\n\tpopq %0\n\tcli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

/* Whether flags (from arch_irq_save) had interrupts enabled. */
static inline bool arch_irq_flags_enabled(unsigned long flags)
{
	return (flags & X86_RFLAGS_IF) != 0;
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* The body of a spin-wait loop. */
static inline void arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}
#endif

#endif
