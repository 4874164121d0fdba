/*
 * The Arm PL031 real-time clock (QEMU virt's RTC on aarch64): a 32-bit
 * counter of seconds, which QEMU starts at the host's Unix time.
 */
#ifndef GORT_DRIVERS_PL031_H
#define GORT_DRIVERS_PL031_H

#include <stdbool.h>
#include <stdint.h>

/* Whether base holds a PL031 (its PrimeCell and peripheral id registers). */
bool pl031_present(uintptr_t base);

/* The current count: seconds since the Unix epoch, UTC. */
uint32_t pl031_read(uintptr_t base);

#endif
