/*
 * What the riscv64 boot code calls in the riscv64 arch layer, and what the
 * arch layer's files share: the machine as the firmware describes it
 * (platform.c), read once on the boot hart before kernel_main and only
 * read after that.
 */
#ifndef GORT_ARCH_RISCV64_ARCH_H
#define GORT_ARCH_RISCV64_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"

/* The 16550 console, polled. */
void riscv64_console_init(void);

/* Builds the boot identity map (Sv48) and turns paging on for this hart;
 * stops the machine if the hart has no Sv48. Boot hart, once. */
void riscv64_mmu_enable(void);

/* The satp value every hart runs with (root table and mode), for the
 * secondary entry, which turns paging on with it. */
extern uint64_t riscv64_satp;

/* Installs the S-mode trap vector (stvec) on this hart, with sscratch
 * pointing at c's trap scratch words (vectors.S). tp must be c. */
void riscv64_traps_init(struct cpu *c);

/* The interrupt half of trap handling, called by vectors.S on the
 * interrupted stack: runs the handler and signals the end of the
 * interrupt (vectors.S then calls kernel_interrupt_return). code is scause
 * without the interrupt flag. Interrupt context. */
void riscv64_interrupt(uint64_t code);

/* Makes this hart's timer, IPI and external interrupts deliverable (sie),
 * with the timer disarmed and the PLIC context open. Interrupts off. */
void riscv64_interrupts_init(struct cpu *c);

/* One hart from the device tree's /cpus. */
struct riscv64_hart {
	uint64_t hartid;
	bool sstc;             /* riscv,isa or riscv,isa-extensions names Sstc */
	bool svade;            /* ... names Svade: A/D faults instead of updates */
	int plic_context;      /* its S-mode external interrupt context; -1: none */
	uint32_t intc_phandle; /* its riscv,cpu-intc node */
};

struct riscv64_platform {
	uint64_t boot_hartid;
	uint64_t timebase_hz; /* the time CSR's frequency */

	int nharts; /* enabled harts, the boot hart first */
	struct riscv64_hart harts[MAX_CPUS];

	uintptr_t plic_base; /* 0: no PLIC */
	unsigned plic_ndev;  /* sources 1..plic_ndev exist */
	uintptr_t rtc_base;  /* Goldfish RTC; 0: none */

	/* SBI extensions the firmware implements (else the legacy calls). */
	bool sbi_time, sbi_ipi, sbi_hsm;
};

extern struct riscv64_platform riscv64_platform;

/* Fills riscv64_platform from the device tree and the SBI firmware; stops
 * the machine if the tree lacks what gort cannot run without (the
 * timebase). Boot hart, before kernel_main. */
void riscv64_platform_scan(const void *fdt, uint64_t boot_hartid);

/* The platform's record of hart hartid, or NULL. */
const struct riscv64_hart *riscv64_hart(uint64_t hartid);

#endif
