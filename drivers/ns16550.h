/*
 * The 16550 UART (COM1 on x86_64 through I/O ports, QEMU virt's MMIO UART
 * on riscv64), polled: no interrupts, no transmit buffer in memory. A byte
 * is written only once the transmit holding register is empty, so nothing
 * is ever dropped, whatever the rate.
 *
 * The register access is the arch's (port I/O or MMIO), given as two
 * functions; the driver only knows register numbers.
 */
#ifndef GORT_DRIVERS_NS16550_H
#define GORT_DRIVERS_NS16550_H

#include <stdint.h>

struct ns16550 {
	uintptr_t base;
	uint8_t (*read)(uintptr_t base, unsigned reg);
	void (*write)(uintptr_t base, unsigned reg, uint8_t v);
};

/* 115200 8N1 with FIFOs on and interrupts off. */
void ns16550_init(const struct ns16550 *u);

/* Waits for room, then sends c. */
void ns16550_putc(const struct ns16550 *u, uint8_t c);

#endif
