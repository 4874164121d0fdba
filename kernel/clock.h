/*
 * Time for the kernel and the runtime: a monotonic nanosecond clock
 * consistent across CPUs, and the wall clock.
 *
 * nanotime converts the arch's free-running counter (TSC, CNTVCT_EL0, the
 * time CSR) to nanoseconds since clock_init with a 32.32 fixed-point
 * multiplier, so a reading costs one counter read, a multiply and a shift.
 * The wall clock is the RTC read once at boot, carried forward by the
 * monotonic clock (so it never jumps backwards).
 */
#ifndef GORT_KERNEL_CLOCK_H
#define GORT_KERNEL_CLOCK_H

#include <stdint.h>

/* Boot CPU, once, before anything reads the time. */
void clock_init(void);

/* Nanoseconds since boot. Monotonic on every CPU and across CPUs. */
uint64_t nanotime(void);

/* The wall clock: nanoseconds since the Unix epoch, UTC. */
int64_t walltime(void);

/* Counter ticks for a duration in nanoseconds, and the counter reading at
 * which nanotime() will reach t (for arch_timer_set). */
uint64_t clock_ticks(uint64_t ns);
uint64_t clock_deadline(uint64_t t);

#endif
