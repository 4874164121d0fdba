/*
 * aarch64 time: the generic timer's virtual counter as the clock, each
 * CPU's EL1 virtual timer as its one-shot timer, and the PL031 as the
 * real-time clock.
 *
 * The virtual counter (CNTVCT_EL0) is the system counter minus CNTVOFF_EL2,
 * which is zero on every CPU (the firmware's, or entry.S's when gort enters
 * at EL2), so one reading means the same instant on every CPU. Its
 * frequency is CNTFRQ_EL0, or the device tree's /timer clock-frequency
 * when the firmware left CNTFRQ wrong (platform.c). The ISB before the
 * read keeps it from being taken early, ahead of the loads before it.
 *
 * The timer compares CNTVCT_EL0 with CNTV_CVAL_EL0 and holds its PPI high
 * while enabled and expired; the handler disables it before the EOI, so one
 * request gives one interrupt, and kernel_timer_interrupt may re-arm it.
 */
#include "arch/aarch64/arch.h"
#include "drivers/pl031.h"
#include "kernel/arch.h"
#include "kernel/boot.h"

uint64_t arch_clock_read(void)
{
	uint64_t t;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t) : : "memory");
	return t;
}

uint64_t arch_clock_hz(void)
{
	return aarch64_platform.timer_hz;
}

void arch_timer_set(uint64_t deadline)
{
	if (deadline == UINT64_MAX) {
		__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" : : : "memory");
		return;
	}
	__asm__ volatile("msr cntv_cval_el0, %0\n\t"
			 "msr cntv_ctl_el0, %1\n\t"
			 "isb"
			 :
			 : "r"(deadline), "r"((uint64_t)CNT_CTL_ENABLE)
			 : "memory");
}

void aarch64_timer_init(void)
{
	arch_timer_set(UINT64_MAX);
}

void aarch64_timer_interrupt(void)
{
	arch_timer_set(UINT64_MAX);
	kernel_timer_interrupt();
}

bool arch_rtc_read(int64_t *unix_seconds)
{
	uintptr_t base = aarch64_platform.pl031;
	if (base == 0 || !pl031_present(base))
		return false;
	*unix_seconds = pl031_read(base);
	return true;
}
