/*
 * The I/O APIC; see ioapic.h. Register layout from the 82093AA datasheet.
 */
#include "drivers/ioapic.h"

#include "kernel/mmio.h"

#define IOREGSEL                0x00
#define IOWIN                   0x10
#define REG_VERSION             0x01
#define VERSION_MAX_ENTRY_SHIFT 16
#define VERSION_MAX_ENTRY_MASK  0xff
#define REG_REDIRECTION         0x10 /* two registers per input: low, high */
#define REDIR_MASKED            (1u << 16)
#define REDIR_LEVEL             (1u << 15)
#define REDIR_ACTIVE_LOW        (1u << 13)
#define REDIR_DEST_SHIFT        24 /* in the high register */

static uint32_t reg_read(struct ioapic *io, unsigned reg)
{
	mmio_write32(io->base + IOREGSEL, reg);
	return mmio_read32(io->base + IOWIN);
}

static void reg_write(struct ioapic *io, unsigned reg, uint32_t v)
{
	mmio_write32(io->base + IOREGSEL, reg);
	mmio_write32(io->base + IOWIN, v);
}

void ioapic_init(struct ioapic *io)
{
	unsigned long flags = spin_lock_irqsave(&io->lock);
	uint32_t version = reg_read(io, REG_VERSION);
	io->ninputs = ((version >> VERSION_MAX_ENTRY_SHIFT) & VERSION_MAX_ENTRY_MASK) + 1;
	for (unsigned i = 0; i < io->ninputs; i++)
		reg_write(io, REG_REDIRECTION + 2 * i, REDIR_MASKED);
	spin_unlock_irqrestore(&io->lock, flags);
}

void ioapic_route(struct ioapic *io, unsigned input, uint8_t vector, uint32_t apic_id,
		  unsigned flags, bool enable)
{
	uint32_t lo = vector;
	if (flags & IOAPIC_LEVEL)
		lo |= REDIR_LEVEL;
	if (flags & IOAPIC_ACTIVE_LOW)
		lo |= REDIR_ACTIVE_LOW;
	if (!enable)
		lo |= REDIR_MASKED;
	unsigned long irq = spin_lock_irqsave(&io->lock);
	/* Masked while the destination changes, then the final low word. */
	reg_write(io, REG_REDIRECTION + 2 * input, lo | REDIR_MASKED);
	reg_write(io, REG_REDIRECTION + 2 * input + 1, apic_id << REDIR_DEST_SHIFT);
	reg_write(io, REG_REDIRECTION + 2 * input, lo);
	spin_unlock_irqrestore(&io->lock, irq);
}
