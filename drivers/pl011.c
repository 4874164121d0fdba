/*
 * Polled PL011 driver; see pl011.h. Register offsets and bits are from the
 * PL011 technical reference manual.
 */
#include "drivers/pl011.h"

#include "kernel/mmio.h"

enum {
	REG_DR = 0x00,   /* data */
	REG_FR = 0x18,   /* flags */
	REG_LCRH = 0x2c, /* line control */
	REG_CR = 0x30,   /* control */
	REG_IMSC = 0x38, /* interrupt mask */
};

enum {
	FR_TXFF = 1 << 5,                     /* transmit FIFO full */
	LCRH_FEN_WLEN8 = (1 << 4) | (3 << 5), /* FIFOs on, 8-bit words */
	CR_UARTEN_TXE_RXE = (1 << 0) | (1 << 8) | (1 << 9),
};

void pl011_init(uintptr_t base)
{
	mmio_write32(base + REG_IMSC, 0);
	mmio_write32(base + REG_LCRH, LCRH_FEN_WLEN8);
	mmio_write32(base + REG_CR, CR_UARTEN_TXE_RXE);
}

void pl011_putc(uintptr_t base, uint8_t c)
{
	while (mmio_read32(base + REG_FR) & FR_TXFF)
		;
	mmio_write32(base + REG_DR, c);
}
