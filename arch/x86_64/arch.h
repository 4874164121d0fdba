/*
 * What the x86_64 boot code and the parts of the x86_64 arch layer call in
 * each other (kernel/ sees only kernel/arch.h).
 */
#ifndef GORT_ARCH_X86_64_ARCH_H
#define GORT_ARCH_X86_64_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"

/* COM1 at 115200 8N1, polled. */
void x86_64_console_init(void);

/* The IDT with every vector, and the boot CPU's GDT and TSS (the
 * trampoline stacks exceptions and interrupts arrive on, and an emergency
 * stack for double faults, NMIs and machine checks). */
void x86_64_traps_init(void);

/* Loads CPU id's own GDT and TSS, and the shared IDT, on the calling CPU. */
void x86_64_traps_init_cpu(int id);

/* ---- ACPI (acpi.c) --------------------------------------------------- */

#define MADT_MAX_IOAPICS   8
#define MADT_MAX_OVERRIDES 16

/* Interrupt source override flags (ACPI MPS INTI flags). */
#define MADT_POLARITY_MASK 0x3
#define MADT_POLARITY_LOW  0x3
#define MADT_TRIGGER_MASK  0xc
#define MADT_TRIGGER_LEVEL 0xc

/* What the MADT describes, filled by x86_64_acpi_init on the boot CPU
 * before kernel_main and read-only afterwards. */
struct x86_64_madt {
	bool found;
	uint64_t lapic_base; /* physical */
	int ncpus;
	uint32_t apic_ids[MAX_CPUS]; /* enabled processors, firmware order */
	int nioapics;
	struct {
		uint64_t base; /* physical */
		uint32_t gsi_base;
	} ioapics[MADT_MAX_IOAPICS];
	int noverrides;
	struct {
		uint8_t isa_irq;
		uint32_t gsi;
		uint16_t flags; /* MADT_POLARITY_*, MADT_TRIGGER_* */
	} overrides[MADT_MAX_OVERRIDES];
};

extern struct x86_64_madt x86_64_madt;

/* Finds the MADT through the RSDP (0: none) and records it. Without one,
 * the machine is taken to be the boot CPU alone with its local APIC at
 * the address IA32_APIC_BASE names, and no IOAPIC. */
void x86_64_acpi_init(uint64_t rsdp);

/* ---- Time (clock.c) -------------------------------------------------- */

/* Learns the TSC frequency: CPUID leaf 0x15 or 0x16, else measured against
 * the 8254 PIT. Boot CPU, before kernel_main. */
void x86_64_clock_init(void);

/* ---- Local APIC (lapic.c) -------------------------------------------- */

/* Boot CPU, once, after x86_64_acpi_init and x86_64_clock_init: maps the
 * local APIC, picks xAPIC or x2APIC mode and measures the APIC timer
 * against the TSC. */
void x86_64_lapic_setup(void);

/* Enables the calling CPU's local APIC: spurious vector, LINT0 masked, the
 * error interrupt masked, the timer on VECTOR_TIMER, disarmed. */
void x86_64_lapic_init_cpu(struct cpu *c);

/* This CPU's local APIC id. */
uint32_t x86_64_lapic_id(void);

/* True in x2APIC mode (32-bit APIC ids), false in xAPIC mode (8-bit). */
bool x86_64_lapic_x2apic(void);

/* Sends an interprocessor interrupt: icr is the ICR's low word (delivery
 * mode, level, vector). Interrupts off, or a handler's ICR write could
 * interleave with this one. */
void x86_64_lapic_send(uint32_t apic_id, uint32_t icr);

void x86_64_lapic_eoi(void);

/* The timer vector's handler (interrupt context). */
void x86_64_lapic_timer_interrupt(void);

/* ---- Device lines (irq.c) -------------------------------------------- */

/* Masks the 8259 PICs and every IOAPIC input. Boot CPU, before kernel_main. */
void x86_64_irq_init(void);

/* ---- Memory (mmu.c) -------------------------------------------------- */

/* Makes the boot identity map's 2 MiB page holding physical address pa
 * (below 4 GiB) uncached, for device registers. Boot CPU, before others
 * run. */
void x86_64_map_uncached(uint64_t pa);

/* ---- CPUs (cpu.c) ---------------------------------------------------- */

/* Picks and reserves (in the memory map) the page below 1 MiB that the
 * other CPUs start in. Boot CPU, after the memory map is recorded. */
void x86_64_trampoline_reserve(void);

#endif
