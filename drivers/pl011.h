/*
 * The Arm PL011 UART (QEMU virt's console on aarch64), polled: a byte is
 * written only when the transmit FIFO has room, so nothing is dropped.
 */
#ifndef GORT_DRIVERS_PL011_H
#define GORT_DRIVERS_PL011_H

#include <stdint.h>

/* Enables the transmitter and receiver, 8-bit words, FIFOs on, no
 * interrupts; keeps the firmware's baud rate. */
void pl011_init(uintptr_t base);

/* Waits for room in the transmit FIFO, then sends c. */
void pl011_putc(uintptr_t base, uint8_t c);

#endif
