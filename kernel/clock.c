/*
 * nanotime and walltime; see clock.h.
 */
#include "kernel/clock.h"

#include "kernel/arch.h"
#include "kernel/console.h"

#define NSEC_PER_SEC 1000000000ULL

/* Written once by clock_init on the boot CPU before other CPUs start. */
static uint64_t base_ticks;
static uint64_t ns_per_tick_32_32; /* nanoseconds per tick, 32.32 fixed point */
static uint64_t hz;
static int64_t boot_walltime;

void clock_init(void)
{
	hz = arch_clock_hz();
	ns_per_tick_32_32 = (uint64_t)(((unsigned __int128)NSEC_PER_SEC << 32) / hz);
	base_ticks = arch_clock_read();
	int64_t sec;
	if (arch_rtc_read(&sec))
		boot_walltime = sec * (int64_t)NSEC_PER_SEC;
	else
		console_printf("gort: no real-time clock; the wall clock starts at 1970\n");
}

uint64_t nanotime(void)
{
	uint64_t ticks = arch_clock_read() - base_ticks;
	return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32_32) >> 32);
}

int64_t walltime(void)
{
	return boot_walltime + (int64_t)nanotime();
}

uint64_t clock_ticks(uint64_t ns)
{
	return (uint64_t)(((unsigned __int128)ns * hz) / NSEC_PER_SEC);
}

uint64_t clock_deadline(uint64_t t)
{
	return base_ticks + clock_ticks(t);
}
