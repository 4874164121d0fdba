/*
 * riscv64 time: the clock is the time CSR (rdtime), one counter the
 * platform keeps for every hart, at the device tree's timebase-frequency;
 * each hart's one-shot timer is the Sstc stimecmp CSR where the hart has
 * Sstc, else the SBI set_timer call (which programs the machine timer
 * through the firmware); the wall clock is the Goldfish RTC.
 */
#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "drivers/goldfish_rtc.h"
#include "kernel/arch.h"

#define NSEC_PER_SEC 1000000000LL

uint64_t arch_clock_read(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

uint64_t arch_clock_hz(void)
{
	return riscv64_platform.timebase_hz;
}

/* Both ways of arming also clear a pending timer interrupt when the
 * deadline is in the future, so the handler disarms with UINT64_MAX. */
void arch_timer_set(uint64_t deadline)
{
	if (this_cpu()->arch.sstc)
		__asm__ volatile("csrw %0, %1" : : "i"(CSR_STIMECMP), "r"(deadline) : "memory");
	else if (riscv64_platform.sbi_time)
		sbi_call(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0, 0);
	else
		sbi_call(SBI_EXT_LEGACY_SET_TIMER, 0, deadline, 0, 0);
}

bool arch_rtc_read(int64_t *unix_seconds)
{
	if (riscv64_platform.rtc_base == 0)
		return false;
	*unix_seconds = goldfish_rtc_read_ns(riscv64_platform.rtc_base) / NSEC_PER_SEC;
	return true;
}
