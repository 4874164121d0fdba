/*
 * The Motorola MC146818 real-time clock, the PC's "CMOS" clock (ports
 * 0x70/0x71 on x86_64). Its date and time registers may be in BCD or
 * binary and the hour in 12- or 24-hour form, as status register B says;
 * the chip updates them once a second, and a read that races an update
 * can mix two seconds, so the driver reads until two passes agree.
 *
 * Register access is the platform's (an index and a data port), given as
 * one function; the driver only knows register numbers.
 */
#ifndef GORT_DRIVERS_MC146818_H
#define GORT_DRIVERS_MC146818_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/spinlock.h"

struct mc146818 {
	uint8_t (*read)(unsigned reg);
	/* Serializes register reads (the chip has one index register); taken
	 * with interrupts off. */
	struct spinlock lock;
};

/* Reads the clock as seconds since the Unix epoch (the chip is taken to
 * keep UTC, as QEMU's does). The century is the conventional register 0x32
 * when it holds 19, 20 or 21, else years 70-99 are 19xx and 00-69 20xx.
 * Returns false if the registers never settle or hold no valid date. */
bool mc146818_read(struct mc146818 *rtc, int64_t *unix_seconds);

#endif
