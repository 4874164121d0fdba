/*
 * The local APIC of each CPU: its timer, interprocessor interrupts and the
 * end-of-interrupt signal (register layout from the Intel SDM, volume 3,
 * "Advanced Programmable Interrupt Controller").
 *
 * Mode. The x2APIC (registers as MSRs, 32-bit ids) is used when CPUID
 * offers it, else the xAPIC, whose registers are 4 KiB of MMIO at the
 * address the MADT gives, mapped uncached. Every CPU uses the same mode.
 *
 * Timer. arch_timer_set takes a TSC deadline. With TSC-deadline mode the
 * deadline is written to the CPU as is. Without it (QEMU's TCG) the timer
 * runs one-shot, divided by 16, and the deadline becomes a count: the
 * remaining TSC ticks times the APIC timer's rate relative to the TSC,
 * measured once at boot, rounded up. The count register is 32 bits and
 * the measurement is not exact, so the interrupt can come before the
 * deadline; the handler then re-arms for the rest instead of reporting a
 * tick, and the kernel only ever sees the timer at or after its deadline.
 * Each CPU keeps its armed deadline in cpu.arch.timer_deadline (written by
 * that CPU with interrupts off; UINT64_MAX when nothing is armed, which also
 * tells the handler that an interrupt already in flight was cancelled).
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/mmio.h"

#define CALIBRATION_TSC_DIVISOR 500 /* measure over 2 ms */
#define CALIBRATION_MAX_RUNS    100
#define CALIBRATION_PRECISION   2000 /* first run: an error bound of 1/2000 */

/* Written once by x86_64_lapic_setup on the boot CPU before other CPUs run;
 * read-only afterwards. */
static uintptr_t xapic_base;
static bool x2apic;
static bool tsc_deadline_mode;
static uint64_t timer_per_tsc_32_32; /* APIC timer ticks per TSC tick, 32.32 */

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio_read32(xapic_base + reg);
}

static void lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		mmio_write32(xapic_base + reg, v);
}

/* Turns on the calling CPU's APIC in the chosen mode (the x2APIC can only
 * be entered from the enabled xAPIC state) and software-enables it with the
 * spurious vector; LVT entries only unmask once it is software-enabled. */
static void lapic_enable(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (x2apic && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
}

/* How fast the one-shot timer counts against the TSC: the timer's count
 * over 2 ms of TSC (enough: an early interrupt is re-armed, and a late one
 * is late by the error, microseconds per second). Each measurement is
 * bounded as clock.c bounds its PIT measurement (TSC readings around the
 * write that starts the count and the read that ends it) and retried the
 * same way, with a tolerance that grows by 1/CALIBRATION_PRECISION per
 * run. */
static void calibrate_timer(void)
{
	uint64_t tsc_window = arch_clock_hz() / CALIBRATION_TSC_DIVISOR;
	uint64_t best_error = UINT64_MAX;
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_ONESHOT | VECTOR_TIMER);
	for (int run = 1; run <= CALIBRATION_MAX_RUNS; run++) {
		uint64_t before = rdtsc_ordered();
		lapic_write(LAPIC_TIMER_INITIAL, UINT32_MAX);
		uint64_t start = rdtsc_ordered(), t;
		while ((t = rdtsc_ordered()) - start < tsc_window)
			arch_cpu_relax();
		uint32_t counted = UINT32_MAX - lapic_read(LAPIC_TIMER_CURRENT);
		uint64_t after = rdtsc_ordered();
		uint64_t shortest = t - start, longest = after - before;
		if (longest - shortest < best_error) {
			best_error = longest - shortest;
			uint64_t tsc_ticks = (shortest + longest) / 2;
			timer_per_tsc_32_32 = ((uint64_t)counted << 32) / tsc_ticks;
		}
		if (best_error <= tsc_window * run / CALIBRATION_PRECISION)
			break;
	}
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}

void x86_64_lapic_setup(void)
{
	struct cpuid f = cpuid(CPUID_FEATURES, 0);
	x2apic = f.ecx & CPUID_1_ECX_X2APIC;
	tsc_deadline_mode = f.ecx & CPUID_1_ECX_TSC_DEADLINE;
	if (!x2apic) {
		xapic_base = x86_64_madt.lapic_base;
		x86_64_map_uncached(xapic_base);
	}
	lapic_enable();
	if (!tsc_deadline_mode)
		calibrate_timer();
}

void x86_64_lapic_init_cpu(struct cpu *c)
{
	lapic_enable();
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER | (tsc_deadline_mode ? LAPIC_TIMER_TSC_DEADLINE
								       : LAPIC_TIMER_ONESHOT));
	c->arch.apic_id = x86_64_lapic_id();
	arch_timer_set(UINT64_MAX);
}

bool x86_64_lapic_x2apic(void)
{
	return x2apic;
}

uint32_t x86_64_lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);
	return x2apic ? id : id >> LAPIC_XAPIC_ID_SHIFT;
}

void x86_64_lapic_send(uint32_t apic_id, uint32_t icr)
{
	if (x2apic) {
		/* An x2APIC register write is not ordered after earlier stores
		 * by itself: fence, so the target sees what this IPI announces. */
		__asm__ volatile("mfence; lfence" : : : "memory");
		wrmsr(MSR_X2APIC_BASE + (LAPIC_ICR_LO >> 4),
		      (uint64_t)apic_id << LAPIC_ICR_X2APIC_DEST_SHIFT | icr);
		return;
	}
	while (lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_PENDING)
		arch_cpu_relax();
	lapic_write(LAPIC_ICR_HI, apic_id << LAPIC_ICR_XAPIC_DEST_SHIFT);
	lapic_write(LAPIC_ICR_LO, icr);
}

void x86_64_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void arch_ipi_send(const struct cpu *c)
{
	unsigned long flags = arch_irq_save();
	x86_64_lapic_send((uint32_t)c->hwid, LAPIC_ICR_FIXED | LAPIC_ICR_ASSERT | VECTOR_IPI);
	arch_irq_restore(flags);
}

void arch_timer_set(uint64_t deadline)
{
	struct cpu *c = this_cpu();
	c->arch.timer_deadline = deadline;
	if (tsc_deadline_mode) {
		/* Writing 0 disarms; a deadline in the past fires at once. */
		uint64_t v = deadline == UINT64_MAX ? 0 : deadline == 0 ? 1 : deadline;
		wrmsr(MSR_TSC_DEADLINE, v);
		return;
	}
	if (deadline == UINT64_MAX) {
		lapic_write(LAPIC_TIMER_INITIAL, 0);
		return;
	}
	uint64_t now = rdtsc_ordered();
	uint64_t left = deadline > now ? deadline - now : 0;
	unsigned __int128 count = ((unsigned __int128)left * timer_per_tsc_32_32 >> 32) + 1;
	lapic_write(LAPIC_TIMER_INITIAL, count > UINT32_MAX ? UINT32_MAX : (uint32_t)count);
}

void x86_64_lapic_timer_interrupt(void)
{
	struct cpu *c = this_cpu();
	uint64_t deadline = c->arch.timer_deadline;
	if (deadline == UINT64_MAX)
		return;
	if (rdtsc_ordered() < deadline) {
		arch_timer_set(deadline);
		return;
	}
	c->arch.timer_deadline = UINT64_MAX;
	kernel_timer_interrupt();
}
