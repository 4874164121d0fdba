/*
 * The riscv64 machine as the firmware describes it, read once on the boot
 * hart before kernel_main (see arch.h, struct riscv64_platform).
 *
 * From the device tree (OpenSBI passes QEMU's, fixed up, in a1):
 *   /cpus                timebase-frequency: the time CSR's rate
 *   /cpus/cpu@N          reg = hart id; status (disabled harts are left
 *                        out); riscv,isa or riscv,isa-extensions (Sstc,
 *                        Svade); its riscv,cpu-intc child's phandle
 *   riscv,plic0          reg, riscv,ndev, and interrupts-extended: one
 *                        (intc phandle, cause) per PLIC context, in context
 *                        order; the pair with cause 9 (S-mode external
 *                        interrupt) names a hart's S-mode context
 *   google,goldfish-rtc  reg
 * From the SBI firmware: which of the TIME, IPI and HSM extensions it has
 * (a firmware without them gets the legacy calls, and no secondary harts).
 *
 * The boot hart (OpenSBI's choice, any of them) is listed first; the
 * others follow in device tree order.
 */
#include <libfdt.h>
#include <string.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "kernel/console.h"
#include "kernel/exit.h"

struct riscv64_platform riscv64_platform;

static uint64_t read_cells(const fdt32_t *cell, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_ld(&cell[i]);
	return v;
}

/* A property of one or two cells (timebase-frequency may be either); 0 if
 * missing. */
static uint64_t prop_u64(const void *fdt, int node, const char *name)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (p == NULL || (len != 4 && len != 8))
		return 0;
	return read_cells(p, len / 4);
}

/* The first address in node's reg, in its parent's address cells; 0 if
 * none. */
static uintptr_t reg_base(const void *fdt, int node)
{
	int len, cells = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg == NULL || cells <= 0 || len < cells * 4)
		return 0;
	return (uintptr_t)read_cells(reg, cells);
}

/* Whether a riscv,isa string ("rv64imafdc_zicsr_sstc") names the
 * multi-letter extension ext: the words after the first '_'-separated one
 * are the multi-letter extensions. */
static bool isa_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);
	for (const char *p = strchr(isa, '_'); p != NULL; p = strchr(p, '_')) {
		p++;
		if (strncmp(p, ext, n) == 0 && (p[n] == '_' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* Whether the hart's riscv,isa-extensions list or riscv,isa string names
 * the multi-letter extension ext. */
static bool hart_has(const void *fdt, int node, const char *ext)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "riscv,isa-extensions", &len);
	if (list != NULL && fdt_stringlist_contains(list, len, ext))
		return true;
	const char *isa = fdt_getprop(fdt, node, "riscv,isa", NULL);
	return isa != NULL && isa_has(isa, ext);
}

/* Whether node is a hart the firmware lets us use (status absent or
 * "okay"). */
static bool hart_enabled(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);
	const char *status = fdt_getprop(fdt, node, "status", NULL);
	return type != NULL && strcmp(type, "cpu") == 0 &&
	       (status == NULL || strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

static void add_hart(const void *fdt, int node, uint64_t hartid)
{
	struct riscv64_platform *p = &riscv64_platform;
	struct riscv64_hart *h = &p->harts[p->nharts++];
	*h = (struct riscv64_hart){.hartid = hartid,
				   .sstc = hart_has(fdt, node, "sstc"),
				   .svade = hart_has(fdt, node, "svade"),
				   .plic_context = -1};
	int intc;
	fdt_for_each_subnode(intc, fdt, node)
	{
		if (fdt_node_check_compatible(fdt, intc, "riscv,cpu-intc") == 0)
			h->intc_phandle = fdt_get_phandle(fdt, intc);
	}
}

/* /cpus: the boot hart first (so it is never the one dropped when the
 * tree lists more harts than gort supports), then the others. */
static void scan_harts(const void *fdt, uint64_t boot_hartid)
{
	struct riscv64_platform *p = &riscv64_platform;
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0) {
		console_printf("fatal error: the device tree has no /cpus\n");
		machine_exit(2);
	}
	p->timebase_hz = prop_u64(fdt, cpus, "timebase-frequency");
	int cells = fdt_address_cells(fdt, cpus);
	for (int pass = 0; pass < 2; pass++) {
		int node;
		fdt_for_each_subnode(node, fdt, cpus)
		{
			int len;
			const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
			if (!hart_enabled(fdt, node) || reg == NULL || len < cells * 4)
				continue;
			uint64_t hartid = read_cells(reg, cells);
			if ((hartid == boot_hartid) != (pass == 0))
				continue;
			if (p->nharts == MAX_CPUS) {
				console_printf("gort: more than %d harts; hart %llu is not used\n",
					       MAX_CPUS, (unsigned long long)hartid);
				continue;
			}
			if (p->timebase_hz == 0)
				p->timebase_hz = prop_u64(fdt, node, "timebase-frequency");
			add_hart(fdt, node, hartid);
		}
		if (pass == 0 && p->nharts == 0) {
			console_printf("gort: boot hart %llu is not in the device tree\n",
				       (unsigned long long)boot_hartid);
			p->harts[p->nharts++] =
			    (struct riscv64_hart){.hartid = boot_hartid, .plic_context = -1};
		}
	}
	if (p->timebase_hz == 0) {
		console_printf("fatal error: the device tree has no timebase-frequency\n");
		machine_exit(2);
	}
}

/* The PLIC and each hart's S-mode context in it. */
static void scan_plic(const void *fdt)
{
	struct riscv64_platform *p = &riscv64_platform;
	int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "sifive,plic-1.0.0");
	if (node < 0)
		return;
	p->plic_base = reg_base(fdt, node);
	p->plic_ndev = (unsigned)prop_u64(fdt, node, "riscv,ndev");
	int len;
	const fdt32_t *ext = fdt_getprop(fdt, node, "interrupts-extended", &len);
	int n = ext != NULL ? len / 4 : 0;
	for (int i = 0, context = 0; i < n; context++) {
		uint32_t phandle = fdt32_ld(&ext[i]);
		int parent = fdt_node_offset_by_phandle(fdt, phandle);
		int cells = parent >= 0 ? (int)prop_u64(fdt, parent, "#interrupt-cells") : 0;
		if (cells < 1 || i + 1 + cells > n)
			break;
		if (fdt32_ld(&ext[i + 1]) == IRQ_S_EXT) {
			for (int h = 0; h < p->nharts; h++)
				if (p->harts[h].intc_phandle == phandle)
					p->harts[h].plic_context = context;
		}
		i += 1 + cells;
	}
}

void riscv64_platform_scan(const void *fdt, uint64_t boot_hartid)
{
	struct riscv64_platform *p = &riscv64_platform;
	p->boot_hartid = boot_hartid;
	scan_harts(fdt, boot_hartid);
	scan_plic(fdt);
	int rtc = fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc");
	if (rtc >= 0)
		p->rtc_base = reg_base(fdt, rtc);
	p->sbi_time = sbi_has_extension(SBI_EXT_TIME);
	p->sbi_ipi = sbi_has_extension(SBI_EXT_IPI);
	p->sbi_hsm = sbi_has_extension(SBI_EXT_HSM);
}

const struct riscv64_hart *riscv64_hart(uint64_t hartid)
{
	for (int i = 0; i < riscv64_platform.nharts; i++)
		if (riscv64_platform.harts[i].hartid == hartid)
			return &riscv64_platform.harts[i];
	return NULL;
}
