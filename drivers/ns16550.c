/*
 * Polled 16550 driver; see ns16550.h.
 */
#include "drivers/ns16550.h"

enum {
	REG_THR = 0, /* transmit holding (write), divisor low with DLAB */
	REG_IER = 1, /* interrupt enable, divisor high with DLAB */
	REG_FCR = 2, /* FIFO control (write) */
	REG_LCR = 3, /* line control */
	REG_MCR = 4, /* modem control */
	REG_LSR = 5, /* line status */
};

enum {
	LCR_8N1 = 0x03,
	LCR_DLAB = 0x80,
	FCR_ENABLE_CLEAR = 0x07,
	MCR_DTR_RTS = 0x03,
	LSR_THR_EMPTY = 0x20,
	DIVISOR_115200 = 1, /* with the standard 1.8432 MHz clock */
};

void ns16550_init(const struct ns16550 *u)
{
	u->write(u->base, REG_IER, 0);
	u->write(u->base, REG_LCR, LCR_DLAB);
	u->write(u->base, REG_THR, DIVISOR_115200);
	u->write(u->base, REG_IER, 0);
	u->write(u->base, REG_LCR, LCR_8N1);
	u->write(u->base, REG_FCR, FCR_ENABLE_CLEAR);
	u->write(u->base, REG_MCR, MCR_DTR_RTS);
}

void ns16550_putc(const struct ns16550 *u, uint8_t c)
{
	while ((u->read(u->base, REG_LSR) & LSR_THR_EMPTY) == 0)
		;
	u->write(u->base, REG_THR, c);
}
