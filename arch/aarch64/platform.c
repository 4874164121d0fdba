/*
 * What the device tree tells the aarch64 layer about the machine, read once
 * on the boot CPU before kernel_main (kernel/devicetree.c has already taken
 * the memory map from it):
 *
 *   /cpus/cpu@N       reg = MPIDR affinity; the boot CPU is put first
 *   /psci             the conduit (method = "hvc" or "smc") and CPU_ON's id
 *   the GIC           "arm,gic-v3": distributor + redistributor region;
 *                     "arm,cortex-a15-gic" and friends (GICv2): distributor
 *                     + CPU interface
 *   /timer            the EL1 virtual timer's PPI (third interrupt of
 *                     "arm,armv8-timer") and an optional clock-frequency
 *   "arm,pl031"       the real-time clock
 *
 * Everything lands in aarch64_platform, read-only afterwards. QEMU virt
 * describes all of it; a machine without a GIC gort knows stops here.
 */
#include <libfdt.h>
#include <string.h>

#include "arch/aarch64/arch.h"
#include "kernel/console.h"
#include "kernel/exit.h"

struct aarch64_platform aarch64_platform;

static const char *const gicv2_compatibles[] = {
    "arm,cortex-a15-gic",
    "arm,gic-400",
    "arm,cortex-a9-gic",
    "arm,cortex-a7-gic",
};

static uint64_t read_cells(const fdt32_t *cell, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_ld(&cell[i]);
	return v;
}

static bool prop_is(const void *fdt, int node, const char *name, const char *value)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);
	return p != NULL && len > 0 && strncmp(p, value, (size_t)len) == 0;
}

/* The address of the index'th (address, size) pair of node's reg, and its
 * size (if size is not NULL). Returns false if there is no such pair. */
static bool reg_at(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node), len;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg == NULL || ac <= 0 || sc < 0 || (index + 1) * (ac + sc) * 4 > len)
		return false;
	*addr = read_cells(reg + index * (ac + sc), ac);
	if (size != NULL)
		*size = read_cells(reg + index * (ac + sc) + ac, sc);
	return true;
}

static void scan_cpus(const void *fdt)
{
	struct aarch64_platform *p = &aarch64_platform;
	uint64_t me = aarch64_mpidr();
	p->mpidr[p->ncpus++] = me;
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return;
	int ac = fdt_address_cells(fdt, cpus), node, len;
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!prop_is(fdt, node, "device_type", "cpu") || reg == NULL || ac <= 0 ||
		    len < ac * 4)
			continue;
		if (fdt_getprop(fdt, node, "status", NULL) != NULL &&
		    !prop_is(fdt, node, "status", "okay") && !prop_is(fdt, node, "status", "ok"))
			continue;
		uint64_t mpidr = read_cells(reg, ac) & MPIDR_AFF_MASK;
		if (mpidr != me && p->ncpus < MAX_CPUS)
			p->mpidr[p->ncpus++] = mpidr;
	}
}

static void scan_psci(const void *fdt)
{
	struct aarch64_platform *p = &aarch64_platform;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	bool standard = false;
	if (node < 0) {
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
		standard = node >= 0;
	} else {
		standard = fdt_node_check_compatible(fdt, node, "arm,psci-0.2") == 0 ||
			   fdt_node_check_compatible(fdt, node, "arm,psci-1.0") == 0;
	}
	if (node < 0)
		return;
	int len;
	const fdt32_t *cpu_on = fdt_getprop(fdt, node, "cpu_on", &len);
	if (standard)
		p->psci_cpu_on = PSCI_0_2_FN64_CPU_ON;
	else if (cpu_on != NULL && len == 4)
		p->psci_cpu_on = fdt32_ld(cpu_on);
	else
		return;
	if (prop_is(fdt, node, "method", "smc"))
		p->psci_smc = true;
	else if (!prop_is(fdt, node, "method", "hvc"))
		return;
	p->psci = true;
}

static void scan_gic(const void *fdt)
{
	struct aarch64_platform *p = &aarch64_platform;
	uint64_t a, b, size;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node >= 0 && reg_at(fdt, node, 0, &a, NULL) && reg_at(fdt, node, 1, &b, &size)) {
		p->gic = GIC_V3;
		p->gicd = a;
		p->gicr = b;
		p->gicr_size = size;
		return;
	}
	for (size_t i = 0; i < sizeof gicv2_compatibles / sizeof gicv2_compatibles[0]; i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, gicv2_compatibles[i]);
		if (node >= 0 && reg_at(fdt, node, 0, &a, NULL) && reg_at(fdt, node, 1, &b, NULL)) {
			p->gic = GIC_V2;
			p->gicd = a;
			p->gicc = b;
			return;
		}
	}
	console_printf("fatal error: the device tree has no GICv2 or GICv3\n");
	machine_exit(2);
}

/* The timer node's interrupts are (type, number, flags) triples: secure
 * physical, non-secure physical, virtual, hypervisor; PPI numbers count
 * from INTID 16. */
#define TIMER_VIRT_INDEX 2
#define INTERRUPT_CELLS  3

static void scan_timer(const void *fdt)
{
	struct aarch64_platform *p = &aarch64_platform;
	uint64_t cntfrq;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(cntfrq));
	p->timer_hz = cntfrq;
	p->timer_intid = TIMER_VIRT_INTID_DEFAULT;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer"), len;
	if (node < 0)
		return;
	const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);
	int want = (TIMER_VIRT_INDEX + 1) * INTERRUPT_CELLS;
	if (irqs != NULL && len >= want * 4)
		p->timer_intid =
		    GIC_PPI_BASE + fdt32_ld(&irqs[TIMER_VIRT_INDEX * INTERRUPT_CELLS + 1]);
	const fdt32_t *freq = fdt_getprop(fdt, node, "clock-frequency", &len);
	if (freq != NULL && len == 4 && fdt32_ld(freq) != 0)
		p->timer_hz = fdt32_ld(freq);
}

static void scan_rtc(const void *fdt)
{
	uint64_t base;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	if (node >= 0 && reg_at(fdt, node, 0, &base, NULL))
		aarch64_platform.pl031 = base;
}

void aarch64_platform_scan(const void *fdt)
{
	scan_gic(fdt);
	scan_cpus(fdt);
	scan_psci(fdt);
	scan_timer(fdt);
	scan_rtc(fdt);
}
