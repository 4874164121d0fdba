/*
 * x86_64 time: the TSC as the counter behind nanotime, and the CMOS RTC.
 *
 * The TSC is read on every CPU; firmware and hypervisors start the CPUs'
 * TSCs together and they run at one rate, so readings compare across CPUs
 * (rdtsc is fenced so it cannot be taken before earlier loads complete).
 *
 * Its frequency comes from CPUID when the CPU states it (leaf 0x15: the
 * crystal and the TSC/crystal ratio; when the crystal is not given, leaf
 * 0x16's base frequency, which is what the TSC runs at on such CPUs). QEMU
 * under TCG states neither, so usually it is measured against the 8254
 * PIT, whose input clock is a fixed 1.193182 MHz: count the PIT down from
 * a known value once in mode 0 (its output goes high at zero) and see how
 * far the TSC moved. PCs gate channel 2 through port 0x61 and show its
 * output there; machines without that port (QEMU microvm) are measured on
 * channel 0 instead, whose output the read-back command reports (its
 * interrupt is masked at the PIC and IOAPIC).
 *
 * A measurement's error is bounded by TSC readings taken around the write
 * that starts the count and around the poll that sees it end; a vCPU that
 * the host deschedules in the middle of either shows up as a wide bound.
 * The calibration keeps the measurement with the tightest bound and stops
 * once that is within run/CALIBRATION_PRECISION at the run-th measurement:
 * a quiet host gives a tight bound at once, a busy one settles for a looser
 * bound after a few runs rather than delaying the boot.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "drivers/mc146818.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/exit.h"

#define CALIBRATION_MAX_RUNS  100            /* at most about a second */
#define CALIBRATION_PRECISION 2000           /* first run: an error bound of 1/2000 */
#define CALIBRATION_WARN      50             /* say so above an error bound of 1/50 */
#define CALIBRATION_PIT_COUNT (PIT_HZ / 100) /* 10 ms */
#define PIT_STATUS_MODE_MASK  0x3f           /* access mode, counting mode, BCD */
#define PORT_ABSENT           0xff           /* what reading a port nothing decodes gives */
/* Give up on an output that never goes high after this many TSC ticks
 * (some seconds at any plausible TSC rate). */
#define CALIBRATION_GIVE_UP_TICKS 50000000000ULL

/* One measurement: TSC ticks while the PIT counted CALIBRATION_PIT_COUNT,
 * give or take error. */
struct sample {
	uint64_t ticks, error;
};

/* Written once by x86_64_clock_init on the boot CPU before other CPUs run. */
static uint64_t tsc_hz;

static uint64_t tsc_hz_from_cpuid(void)
{
	uint32_t max_leaf = cpuid(0, 0).eax;
	if (max_leaf < CPUID_TSC_RATIO)
		return 0;
	struct cpuid r = cpuid(CPUID_TSC_RATIO, 0);
	if (r.eax != 0 && r.ebx != 0 && r.ecx != 0)
		return (uint64_t)r.ecx * r.ebx / r.eax;
	if (max_leaf >= CPUID_BASE_FREQ) {
		uint32_t mhz = cpuid(CPUID_BASE_FREQ, 0).eax & 0xffff;
		if (mhz != 0)
			return mhz * 1000000ULL;
	}
	return 0;
}

static bool ch2_out(void)
{
	return inb(PORT_SYSCTL) & SYSCTL_CH2_OUT;
}

static bool ch0_out(void)
{
	outb(PIT_CMD, PIT_READBACK_STATUS_CH0);
	return inb(PIT_CH0) & PIT_STATUS_OUT;
}

/* Loads CALIBRATION_PIT_COUNT into a channel just put in mode 0 (the count
 * starts with the high byte) and times it until out() says it reached
 * zero. Returns false if the output never goes high. */
static bool time_count(uint16_t port, bool (*out)(void), struct sample *s)
{
	outb(port, (uint8_t)CALIBRATION_PIT_COUNT);
	uint64_t before = rdtsc_ordered();
	outb(port, (uint8_t)(CALIBRATION_PIT_COUNT >> 8));
	uint64_t start = rdtsc_ordered();
	/* The output went high between low_at (before the last poll that saw
	 * it low) and high_by (after the poll that saw it high). */
	uint64_t low_at = start, high_by;
	for (;;) {
		uint64_t t = rdtsc_ordered();
		bool high = out();
		high_by = rdtsc_ordered();
		if (high)
			break;
		low_at = t;
		if (high_by - start > CALIBRATION_GIVE_UP_TICKS)
			return false;
	}
	uint64_t shortest = low_at - start, longest = high_by - before;
	*s = (struct sample){(shortest + longest) / 2, longest - shortest};
	return true;
}

/* Channel 2, gated and observed through port 0x61. */
static bool measure_ch2(struct sample *s)
{
	uint8_t sysctl = inb(PORT_SYSCTL);
	outb(PORT_SYSCTL, (sysctl & ~SYSCTL_SPEAKER) | SYSCTL_CH2_GATE);
	outb(PIT_CMD, PIT_SEL_CH2 | PIT_LOHI | PIT_MODE0);
	bool ok = time_count(PIT_CH2, ch2_out, s);
	outb(PORT_SYSCTL, sysctl & ~(SYSCTL_SPEAKER | SYSCTL_CH2_GATE));
	return ok;
}

/* Channel 0, observed with the read-back command. */
static bool measure_ch0(struct sample *s)
{
	outb(PIT_CMD, PIT_SEL_CH0 | PIT_LOHI | PIT_MODE0);
	return time_count(PIT_CH0, ch0_out, s);
}

/* A PIT answers a read-back with the mode just written to it. */
static bool pit_present(void)
{
	outb(PIT_CMD, PIT_SEL_CH0 | PIT_LOHI | PIT_MODE0);
	outb(PIT_CMD, PIT_READBACK_STATUS_CH0);
	return (inb(PIT_CH0) & PIT_STATUS_MODE_MASK) == (PIT_LOHI | PIT_MODE0);
}

static uint64_t tsc_hz_from_pit(void)
{
	if (!pit_present())
		return 0;
	/* Without port 0x61 the bus reads all ones; on a PC its two NMI
	 * status bits are never both set. */
	bool (*measure)(struct sample *) =
	    inb(PORT_SYSCTL) != PORT_ABSENT ? measure_ch2 : measure_ch0;
	struct sample best = {0, UINT64_MAX}, s;
	for (int run = 1; run <= CALIBRATION_MAX_RUNS; run++) {
		if (!measure(&s))
			return 0;
		if (s.error < best.error)
			best = s;
		if (best.error <= best.ticks * run / CALIBRATION_PRECISION)
			break;
	}
	if (best.error > best.ticks / CALIBRATION_WARN)
		console_printf("gort: the TSC frequency is uncertain by %llu%% "
			       "(the host kept descheduling this CPU)\n",
			       (unsigned long long)(best.error * 100 / best.ticks / 2 + 1));
	return best.ticks * PIT_HZ / CALIBRATION_PIT_COUNT;
}

void x86_64_clock_init(void)
{
	tsc_hz = tsc_hz_from_cpuid();
	if (tsc_hz == 0)
		tsc_hz = tsc_hz_from_pit();
	if (tsc_hz == 0) {
		console_printf("fatal error: cannot learn the TSC frequency "
			       "(no CPUID leaf 0x15/0x16, no 8254 PIT)\n");
		machine_exit(2);
	}
}

uint64_t arch_clock_read(void)
{
	return rdtsc_ordered();
}

uint64_t arch_clock_hz(void)
{
	return tsc_hz;
}

static uint8_t cmos_read(unsigned reg)
{
	outb(CMOS_INDEX, (uint8_t)reg);
	return inb(CMOS_DATA);
}

static struct mc146818 cmos_rtc = {cmos_read, SPINLOCK_INIT};

bool arch_rtc_read(int64_t *unix_seconds)
{
	return mc146818_read(&cmos_rtc, unix_seconds);
}
