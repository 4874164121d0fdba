/*
 * What the aarch64 boot code and the files of the aarch64 arch layer call
 * in each other (kernel/arch.h is what kernel/ calls).
 */
#ifndef GORT_ARCH_AARCH64_ARCH_H
#define GORT_ARCH_AARCH64_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/aarch64.h"
#include "kernel/cpu.h"

/* The PL011 console, polled. */
void aarch64_console_init(void);

/* Installs the EL1 exception vectors (VBAR_EL1) on this CPU. */
void aarch64_traps_init(void);

/* ---- MMU (boot/aarch64/boot.c, entry.S, mmu.c) ------------------------ */

/* The translation registers of the kernel's one address space, filled by
 * the boot CPU with the MMU off (so they are in memory for secondaries
 * that read them with the MMU off) and never changed. entry.S reads the
 * fields in this order. */
struct aarch64_mmu_regs {
	uint64_t mair, tcr, ttbr0;
};
extern struct aarch64_mmu_regs aarch64_mmu_regs;

/* Turns the MMU and caches on with aarch64_mmu_regs (entry.S). MMU off. */
void aarch64_mmu_on(void);

/* ---- What the device tree says (platform.c) --------------------------- */

enum { GIC_NONE, GIC_V2, GIC_V3 };

/* Filled once by aarch64_platform_scan on the boot CPU before kernel_main;
 * read-only afterwards. */
struct aarch64_platform {
	int gic;                  /* GIC_V2 or GIC_V3 */
	uintptr_t gicd;           /* distributor */
	uintptr_t gicc;           /* GICv2 CPU interface */
	uintptr_t gicr;           /* GICv3 first redistributor region */
	uint64_t gicr_size;       /* and its size */
	unsigned timer_intid;     /* the EL1 virtual timer's PPI, as an INTID */
	uint64_t timer_hz;        /* the counter frequency */
	bool psci;                /* PSCI exists ... */
	bool psci_smc;            /* ... through smc (else hvc) */
	uint32_t psci_cpu_on;     /* the CPU_ON function id */
	uintptr_t pl031;          /* the PL031 RTC, 0 if none */
	int ncpus;                /* CPUs in /cpus (at most MAX_CPUS) ... */
	uint64_t mpidr[MAX_CPUS]; /* ... their MPIDR affinity, boot CPU first */
};
extern struct aarch64_platform aarch64_platform;

/* Reads the device tree's /cpus, /psci, interrupt controller, /timer and
 * PL031 nodes; stops the machine if it has no GIC gort can drive. */
void aarch64_platform_scan(const void *fdt);

/* This CPU's MPIDR_EL1 affinity fields. */
static inline uint64_t aarch64_mpidr(void)
{
	uint64_t m;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(m));
	return m & MPIDR_AFF_MASK;
}

/* ---- The GIC (gic.c) --------------------------------------------------- */

/* Sets up the distributor: every SPI masked, one priority, group 1 on
 * GICv3. Boot CPU, once, interrupts off, before any arch_cpu_init. */
void gic_init(void);

/* Sets up this CPU's GIC CPU interface (and GICv3 redistributor): unmasks
 * the kernel's SGI and the timer's PPI. Interrupts off. */
void gic_cpu_init(struct cpu *c);

/* Acknowledges the highest-priority pending interrupt and returns its
 * INTID (GIC_INTID_SPECIAL or above: nothing pending); *ack is what
 * gic_eoi takes back. Interrupt context. */
unsigned gic_ack(uint32_t *ack);
void gic_eoi(uint32_t ack);

/* Sends SGI sgi to CPU c. Orders this CPU's earlier memory writes before
 * it. Any context. */
void gic_send_sgi(const struct cpu *c, unsigned sgi);

/* Unmasks (routed to the boot CPU) or masks SPI spi (INTID 32 + spi).
 * Returns false if the GIC has no such line. Any context. */
bool gic_spi_enable(unsigned spi, bool enable);

/* ---- The generic timer (time.c) --------------------------------------- */

/* The virtual timer's interrupt fired on this CPU: disarms it and calls
 * kernel_timer_interrupt. Interrupt context. */
void aarch64_timer_interrupt(void);

/* Disarms this CPU's virtual timer. Interrupts off. */
void aarch64_timer_init(void);

/* ---- SMP (smp.c, entry.S) ---------------------------------------------- */

/* What a secondary reads in aarch64_secondary_entry once its MMU is on:
 * entry.S loads the two fields with one ldp, in this order. */
struct aarch64_secondary_boot {
	uint64_t stack_top;
	struct cpu *cpu;
};

/* The PSCI CPU_ON entry point (entry.S); x0 = the secondary's record. */
void aarch64_secondary_entry(void);

/* Where a secondary's entry code calls C: on c->stack_top (SP_EL0, with
 * SP_EL1 at c->exception_stack_top), MMU on, interrupts masked,
 * TPIDR_EL1 = c. */
_Noreturn void aarch64_secondary_main(struct cpu *c);

/* ---- Interrupt entry (irq.c) ------------------------------------------ */

/* The IRQ vector's C side: acknowledges, dispatches and ends every
 * pending interrupt. Interrupt context, on the interrupted stack. */
void aarch64_irq(void);

#endif
