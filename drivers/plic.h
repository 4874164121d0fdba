/*
 * The RISC-V Platform-Level Interrupt Controller (riscv,plic0 /
 * sifive,plic-1.0.0, QEMU virt's at 0x0c000000). Sources 1..ndev each have
 * a priority (0 never interrupts); each context (one per hart and
 * privilege mode, numbered by the device tree's interrupts-extended) has
 * one enable bit per source and a threshold, and interrupts its hart for
 * any pending enabled source whose priority is above the threshold. The
 * hart claims the source (which stops it interrupting again) and
 * completes it once handled.
 *
 * The driver keeps no state and takes no lock: plic_enable is a
 * read-modify-write of a word shared by 32 sources, which the caller
 * serializes.
 */
#ifndef GORT_DRIVERS_PLIC_H
#define GORT_DRIVERS_PLIC_H

#include <stdbool.h>
#include <stdint.h>

void plic_set_priority(uintptr_t base, unsigned source, uint32_t priority);
void plic_enable(uintptr_t base, unsigned context, unsigned source, bool enable);
void plic_set_threshold(uintptr_t base, unsigned context, uint32_t threshold);

/* The highest-priority pending source for context, now claimed; 0 if
 * none. */
unsigned plic_claim(uintptr_t base, unsigned context);
void plic_complete(uintptr_t base, unsigned context, unsigned source);

#endif
