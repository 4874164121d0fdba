/*
 * The Goldfish real-time clock (google,goldfish-rtc; QEMU virt's at
 * 0x101000 on riscv64): a 64-bit count of nanoseconds since the Unix
 * epoch, UTC, read in two 32-bit halves. Only reading is supported (no
 * alarm, no setting).
 */
#ifndef GORT_DRIVERS_GOLDFISH_RTC_H
#define GORT_DRIVERS_GOLDFISH_RTC_H

#include <stdint.h>

/* Nanoseconds since the Unix epoch. */
int64_t goldfish_rtc_read_ns(uintptr_t base);

#endif
