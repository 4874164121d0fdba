/*
 * Goldfish RTC reading; see goldfish_rtc.h. Reading the low half latches
 * the high half of the same instant, so low must be read first and the
 * two halves always belong together.
 */
#include "drivers/goldfish_rtc.h"

#include "kernel/mmio.h"

enum {
	REG_TIME_LOW = 0x00,  /* bits 31:0; reading it latches TIME_HIGH */
	REG_TIME_HIGH = 0x04, /* bits 63:32, as latched */
};

int64_t goldfish_rtc_read_ns(uintptr_t base)
{
	uint64_t low = mmio_read32(base + REG_TIME_LOW);
	uint64_t high = mmio_read32(base + REG_TIME_HIGH);
	return (int64_t)(high << 32 | low);
}
