/*
 * The Arm Generic Interrupt Controller, version 2 or 3 (QEMU virt's
 * gic-version=2 and 3), as the device tree describes it (platform.c).
 *
 * Both versions share the distributor (GICD), which owns the SPIs (device
 * lines, INTID 32 and up). The per-CPU half differs:
 *   GICv2  SGIs and PPIs are banked in the distributor; each CPU has a
 *          memory-mapped CPU interface (GICC) to acknowledge (IAR) and end
 *          (EOIR) interrupts; SGIs and SPIs target CPU interfaces by a bit
 *          mask (ITARGETSR, SGIR) that a CPU learns by reading the banked
 *          ITARGETSR0. Everything stays in group 0, signalled as IRQ.
 *   GICv3  SGIs and PPIs live in each CPU's redistributor (GICR, found by
 *          matching GICR_TYPER's affinity with MPIDR), which must be woken;
 *          the CPU interface is the ICC_* system registers; SPIs are routed
 *          by affinity (IROUTER) and SGIs sent with ICC_SGI1R_EL1.
 *          Everything is group 1 (IRQ at EL1; group 0 would be FIQ).
 *
 * gort uses one priority for everything and never nests interrupts, with
 * EOImode 0 (the EOI both drops priority and deactivates). Device lines are
 * routed to the boot CPU. No lock: the only shared registers written after
 * gic_init are the write-one-to-set/clear enables and per-line routing
 * bytes/words, which need no read-modify-write.
 */
#include "arch/aarch64/arch.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/mmio.h"

#define ALL_ONES         0xffffffffU
#define PRIORITY_X4      (GIC_PRIORITY * 0x01010101U) /* four IPRIORITYR bytes */
#define GICR_FRAMES      2                            /* RD and SGI frames */
#define GICR_FRAMES_VLPI 4                            /* plus VLPI and reserved */

/* Written by gic_init on the boot CPU before any other use. */
static unsigned nlines;     /* INTIDs the distributor implements */
static uint8_t boot_target; /* GICv2: the boot CPU's interface bit */
static uint64_t boot_mpidr; /* GICv3: the boot CPU's affinity */

static uint32_t gicd_read(uint32_t reg)
{
	return mmio_read32(aarch64_platform.gicd + reg);
}

static void gicd_write(uint32_t reg, uint32_t v)
{
	mmio_write32(aarch64_platform.gicd + reg, v);
}

/* GICv3: waits until a distributor or redistributor register write has
 * taken effect (RWP: register write pending). */
static void wait_rwp(uintptr_t ctlr, uint32_t rwp)
{
	while (mmio_read32(ctlr) & rwp)
		;
}

static bool v3(void)
{
	return aarch64_platform.gic == GIC_V3;
}

void gic_init(void)
{
	nlines = GICD_TYPER_LINES(gicd_read(GICD_TYPER));
	if (nlines > GIC_MAX_INTID)
		nlines = GIC_MAX_INTID;
	gicd_write(GICD_CTLR, 0);
	if (v3())
		wait_rwp(aarch64_platform.gicd + GICD_CTLR, GICD_CTLR_RWP);
	for (unsigned i = GIC_SPI_BASE; i < nlines; i += 32) {
		gicd_write(GICD_ICENABLER + i / 8, ALL_ONES);
		gicd_write(GICD_ICPENDR + i / 8, ALL_ONES);
		if (v3())
			gicd_write(GICD_IGROUPR + i / 8, ALL_ONES);
	}
	for (unsigned i = GIC_SPI_BASE; i < nlines; i += 4)
		gicd_write(GICD_IPRIORITYR + i, PRIORITY_X4);
	if (v3()) {
		boot_mpidr = aarch64_mpidr();
		wait_rwp(aarch64_platform.gicd + GICD_CTLR, GICD_CTLR_RWP);
		gicd_write(GICD_CTLR, GICD_CTLR_ARE);
		wait_rwp(aarch64_platform.gicd + GICD_CTLR, GICD_CTLR_RWP);
		gicd_write(GICD_CTLR,
			   GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
		wait_rwp(aarch64_platform.gicd + GICD_CTLR, GICD_CTLR_RWP);
	} else {
		boot_target = mmio_read8(aarch64_platform.gicd + GICD_ITARGETSR);
		gicd_write(GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
	}
}

/* The SGI and PPI enables both versions set the same way, given the base
 * of the registers that hold them (GICD on v2, the SGI frame on v3). */
static void enable_private(uintptr_t base, uint32_t enable)
{
	for (unsigned i = 0; i < GIC_SPI_BASE; i += 4)
		mmio_write32(base + GICD_IPRIORITYR + i, PRIORITY_X4);
	mmio_write32(base + GICD_ISENABLER, enable);
}

/* GICR_TYPER's affinity value for an MPIDR: Aff3.Aff2.Aff1.Aff0. */
static uint32_t gicr_affinity(uint64_t mpidr)
{
	return (uint32_t)(MPIDR_AFF3(mpidr) << 24 | MPIDR_AFF2(mpidr) << 16 |
			  MPIDR_AFF1(mpidr) << 8 | MPIDR_AFF0(mpidr));
}

static uintptr_t find_redistributor(uint64_t mpidr)
{
	uintptr_t rd = aarch64_platform.gicr, end = rd + aarch64_platform.gicr_size;
	while (rd < end) {
		uint32_t lo = mmio_read32(rd + GICR_TYPER_LO);
		if (mmio_read32(rd + GICR_TYPER_HI) == gicr_affinity(mpidr))
			return rd;
		if (lo & GICR_TYPER_LAST)
			break;
		rd += (lo & GICR_TYPER_VLPIS ? GICR_FRAMES_VLPI : GICR_FRAMES) * GICR_FRAME_SIZE;
	}
	console_printf("fatal error: no GICv3 redistributor for MPIDR %#llx\n",
		       (unsigned long long)mpidr);
	machine_exit(2);
}

void gic_cpu_init(struct cpu *c)
{
	uint32_t enable = 1U << GIC_SGI_KERNEL | 1U << aarch64_platform.timer_intid;
	if (!v3()) {
		uintptr_t gicc = aarch64_platform.gicc;
		c->arch.gic_target = mmio_read8(aarch64_platform.gicd + GICD_ITARGETSR);
		gicd_write(GICD_ICENABLER, ALL_ONES);
		enable_private(aarch64_platform.gicd, enable);
		mmio_write32(gicc + GICC_PMR, GIC_PRIORITY_MASK);
		mmio_write32(gicc + GICC_BPR, 0);
		mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE_GRP0);
		return;
	}
	uint64_t sre;
	__asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
	__asm__ volatile("msr icc_sre_el1, %0\n\tisb" : : "r"(sre | ICC_SRE_SRE));

	uintptr_t rd = find_redistributor(c->arch.mpidr), sgi = rd + GICR_SGI_OFFSET;
	uint32_t waker = mmio_read32(rd + GICR_WAKER);
	mmio_write32(rd + GICR_WAKER, waker & ~(uint32_t)GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	mmio_write32(sgi + GICR_ICENABLER0, ALL_ONES);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);
	mmio_write32(sgi + GICR_IGROUPR0, ALL_ONES);
	enable_private(sgi, enable);

	__asm__ volatile("msr icc_pmr_el1, %0\n\t"
			 "msr icc_bpr1_el1, xzr\n\t"
			 "msr icc_ctlr_el1, xzr\n\t"
			 "msr icc_igrpen1_el1, %1\n\t"
			 "isb"
			 :
			 : "r"((uint64_t)GIC_PRIORITY_MASK), "r"(1ULL)
			 : "memory");
}

unsigned gic_ack(uint32_t *ack)
{
	if (!v3()) {
		*ack = mmio_read32(aarch64_platform.gicc + GICC_IAR);
		return *ack & GICC_IAR_INTID_MASK;
	}
	uint64_t iar;
	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar) : : "memory");
	*ack = (uint32_t)iar;
	return *ack & ICC_IAR1_INTID_MASK;
}

void gic_eoi(uint32_t ack)
{
	if (!v3())
		mmio_write32(aarch64_platform.gicc + GICC_EOIR, ack);
	else
		__asm__ volatile("msr icc_eoir1_el1, %0\n\tisb" : : "r"((uint64_t)ack) : "memory");
}

void gic_send_sgi(const struct cpu *c, unsigned sgi)
{
	__asm__ volatile("dsb ishst" : : : "memory");
	if (!v3()) {
		gicd_write(GICD_SGIR, (uint32_t)c->arch.gic_target << GICD_SGIR_TARGET_SHIFT | sgi);
		return;
	}
	uint64_t m = c->arch.mpidr, aff0 = MPIDR_AFF0(m);
	uint64_t v = MPIDR_AFF3(m) << ICC_SGI1R_AFF3_SHIFT | MPIDR_AFF2(m) << ICC_SGI1R_AFF2_SHIFT |
		     MPIDR_AFF1(m) << ICC_SGI1R_AFF1_SHIFT |
		     aff0 / ICC_SGI1R_TARGETS_PER_RANGE << ICC_SGI1R_RS_SHIFT |
		     (uint64_t)sgi << ICC_SGI1R_INTID_SHIFT |
		     1ULL << (aff0 % ICC_SGI1R_TARGETS_PER_RANGE);
	__asm__ volatile("msr icc_sgi1r_el1, %0\n\tisb" : : "r"(v) : "memory");
}

bool gic_spi_enable(unsigned spi, bool enable)
{
	unsigned intid = GIC_SPI_BASE + spi;
	if (spi >= GIC_MAX_INTID || intid >= nlines)
		return false;
	uint32_t bit = 1U << (intid % 32), word = intid / 32 * 4;
	if (!enable) {
		gicd_write(GICD_ICENABLER + word, bit);
		if (v3())
			wait_rwp(aarch64_platform.gicd + GICD_CTLR, GICD_CTLR_RWP);
		return true;
	}
	if (v3()) {
		/* IROUTER has MPIDR's affinity layout; IRM (bit 31) clear. */
		gicd_write(GICD_IROUTER + intid * 8, (uint32_t)boot_mpidr);
		gicd_write(GICD_IROUTER + intid * 8 + 4, (uint32_t)(boot_mpidr >> 32));
	} else {
		mmio_write8(aarch64_platform.gicd + GICD_ITARGETSR + intid, boot_target);
	}
	gicd_write(GICD_ISENABLER + word, bit);
	return true;
}
