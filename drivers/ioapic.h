/*
 * The I/O APIC (Intel 82093AA and its successors in every PC chipset): it
 * turns device interrupt lines into interrupt messages for the local APICs.
 * Each input has a 64-bit redirection entry: vector, destination APIC,
 * trigger mode, polarity and a mask bit. The registers sit behind an index
 * (IOREGSEL) and a data window (IOWIN) in 4 KiB of MMIO, mapped uncached by
 * the caller.
 */
#ifndef GORT_DRIVERS_IOAPIC_H
#define GORT_DRIVERS_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/spinlock.h"

/* How an input is wired: edge/high unless these say otherwise. */
#define IOAPIC_LEVEL      0x1
#define IOAPIC_ACTIVE_LOW 0x2

struct ioapic {
	uintptr_t base;    /* register window */
	uint32_t gsi_base; /* global system interrupt of input 0 */
	unsigned ninputs;  /* set by ioapic_init */
	/* Serializes the index/data register pair; taken with interrupts off
	 * (lines are masked from interrupt context). */
	struct spinlock lock;
};

/* Reads how many inputs the chip has and masks every one. */
void ioapic_init(struct ioapic *io);

/* Points input (0-based) at vector on the local APIC apic_id (physical
 * destination, fixed delivery), wired as flags says, and unmasks it or
 * masks it. */
void ioapic_route(struct ioapic *io, unsigned input, uint8_t vector, uint32_t apic_id,
		  unsigned flags, bool enable);

#endif
