/*
 * PL031 driver; see pl031.h. Register offsets and ids are from the PL031
 * technical reference manual. The data register counts seconds on its own
 * once the device is out of reset, so reading needs no set-up.
 */
#include "drivers/pl031.h"

#include "kernel/mmio.h"

enum {
	REG_DR = 0x000,         /* data: the current count */
	REG_PERIPH_ID0 = 0xfe0, /* part number, low byte */
	REG_PERIPH_ID1 = 0xfe4, /* part number high nibble, designer low nibble */
	REG_CELL_ID0 = 0xff0,   /* 0x0d: a PrimeCell */
};

enum {
	PART_LOW = 0x31, /* part number 0x031 */
	PART_HIGH_MASK = 0x0f,
	CELL_ID0 = 0x0d,
};

bool pl031_present(uintptr_t base)
{
	return mmio_read32(base + REG_CELL_ID0) == CELL_ID0 &&
	       mmio_read32(base + REG_PERIPH_ID0) == PART_LOW &&
	       (mmio_read32(base + REG_PERIPH_ID1) & PART_HIGH_MASK) == 0;
}

uint32_t pl031_read(uintptr_t base)
{
	return mmio_read32(base + REG_DR);
}
