/*
 * x86_64 device interrupt lines: the legacy 8259 PICs are masked for good
 * (their output, LINT0, is masked in every local APIC too) and device lines
 * go through the IOAPICs the MADT lists. A line is a global system
 * interrupt (GSI): an IOAPIC input, numbered across all IOAPICs. It is
 * delivered on vector VECTOR_IRQ_BASE + GSI to the boot CPU. Its wiring is
 * the MADT's interrupt source override for that GSI when there is one, else
 * the bus default: ISA lines (GSI < 16) edge-triggered active-high, the
 * others (PCI) level-triggered active-low.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "drivers/ioapic.h"
#include "kernel/arch.h"

#define ISA_LINES 16

/* Filled by x86_64_irq_init on the boot CPU before other CPUs run; each
 * chip's registers are then guarded by its own lock. */
static struct ioapic ioapics[MADT_MAX_IOAPICS];
static int nioapics;

void x86_64_irq_init(void)
{
	outb(PIC1_DATA, PIC_MASK_ALL);
	outb(PIC2_DATA, PIC_MASK_ALL);
	for (int i = 0; i < x86_64_madt.nioapics; i++) {
		struct ioapic *io = &ioapics[nioapics++];
		*io = (struct ioapic){.base = x86_64_madt.ioapics[i].base,
				      .gsi_base = x86_64_madt.ioapics[i].gsi_base,
				      .lock = SPINLOCK_INIT};
		x86_64_map_uncached(io->base);
		ioapic_init(io);
	}
}

/* IOAPIC_LEVEL / IOAPIC_ACTIVE_LOW for line gsi. */
static unsigned wiring(unsigned gsi)
{
	for (int i = 0; i < x86_64_madt.noverrides; i++) {
		if (x86_64_madt.overrides[i].gsi != gsi)
			continue;
		/* The source is an ISA line, so "conforms to the bus" means
		 * ISA's active-high, edge-triggered. */
		uint16_t f = x86_64_madt.overrides[i].flags;
		unsigned w = 0;
		if ((f & MADT_POLARITY_MASK) == MADT_POLARITY_LOW)
			w |= IOAPIC_ACTIVE_LOW;
		if ((f & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL)
			w |= IOAPIC_LEVEL;
		return w;
	}
	return gsi < ISA_LINES ? 0 : IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW;
}

bool arch_irq_line(unsigned irq, bool enable)
{
	if (irq >= IRQ_LINES)
		return false;
	for (int i = 0; i < nioapics; i++) {
		struct ioapic *io = &ioapics[i];
		if (irq < io->gsi_base || irq - io->gsi_base >= io->ninputs)
			continue;
		ioapic_route(io, irq - io->gsi_base, (uint8_t)(VECTOR_IRQ_BASE + irq),
			     (uint32_t)cpus[0].hwid, wiring(irq), enable);
		return true;
	}
	return false;
}
