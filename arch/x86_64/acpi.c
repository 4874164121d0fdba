/*
 * The ACPI tables the x86_64 layer needs: the MADT ("APIC"), found through
 * the RSDP the loader reported (PVH start info), then the XSDT (ACPI 2.0+)
 * or the RSDT. From the MADT it records the local APIC address, the
 * enabled processors (local APIC and x2APIC entries), the IOAPICs and the
 * ISA interrupt source overrides (layouts from the ACPI specification,
 * "Multiple APIC Description Table").
 *
 * The tables are read in place through the boot identity map (they lie
 * below 4 GiB); every table's checksum is verified before it is trusted.
 */
#include <string.h>

#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/console.h"

#define IDENTITY_MAP_END 0x100000000ULL

#define RSDP_SIGNATURE "RSD PTR "
#define RSDP_V1_LENGTH 20 /* the part the first checksum covers */
#define RSDP_V2_LENGTH 36 /* the part the extended checksum covers */
#define RSDP_REVISION  15
#define RSDP_RSDT      16 /* u32 */
#define RSDP_XSDT      24 /* u64, revision >= 2 */

#define SDT_HEADER_LENGTH 36
#define SDT_LENGTH        4 /* u32 */

#define MADT_LAPIC_ADDRESS          36 /* u32 */
#define MADT_ENTRIES                44
#define MADT_LAPIC                  0
#define MADT_IOAPIC                 1
#define MADT_OVERRIDE               2
#define MADT_LAPIC_ADDRESS_OVERRIDE 5
#define MADT_X2APIC                 9
#define MADT_CPU_ENABLED            0x1

struct x86_64_madt x86_64_madt;

static uint32_t u32_at(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t u64_at(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* The table at physical address pa if it is reachable, whole and valid. */
static const uint8_t *table_at(uint64_t pa)
{
	if (pa == 0 || pa + SDT_HEADER_LENGTH > IDENTITY_MAP_END)
		return NULL;
	const uint8_t *t = (const uint8_t *)(uintptr_t)pa;
	uint32_t len = u32_at(t + SDT_LENGTH);
	if (len < SDT_HEADER_LENGTH || pa + len > IDENTITY_MAP_END || !checksum_ok(t, len))
		return NULL;
	return t;
}

/* The MADT from the RSDT or XSDT, NULL if there is none. */
static const uint8_t *find_madt(uint64_t rsdp_pa)
{
	if (rsdp_pa == 0 || rsdp_pa + RSDP_V1_LENGTH > IDENTITY_MAP_END)
		return NULL;
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)rsdp_pa;
	if (memcmp(rsdp, RSDP_SIGNATURE, 8) != 0 || !checksum_ok(rsdp, RSDP_V1_LENGTH))
		return NULL;
	bool xsdt = rsdp[RSDP_REVISION] >= 2 && checksum_ok(rsdp, RSDP_V2_LENGTH) &&
		    u64_at(rsdp + RSDP_XSDT) != 0;
	const uint8_t *root = table_at(xsdt ? u64_at(rsdp + RSDP_XSDT) : u32_at(rsdp + RSDP_RSDT));
	if (root == NULL)
		return NULL;
	unsigned entry_size = xsdt ? 8 : 4;
	uint32_t n = (u32_at(root + SDT_LENGTH) - SDT_HEADER_LENGTH) / entry_size;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = root + SDT_HEADER_LENGTH + i * entry_size;
		const uint8_t *t = table_at(xsdt ? u64_at(e) : u32_at(e));
		if (t != NULL && memcmp(t, "APIC", 4) == 0)
			return t;
	}
	return NULL;
}

static void add_cpu(uint32_t apic_id, uint32_t flags)
{
	struct x86_64_madt *m = &x86_64_madt;
	if (!(flags & MADT_CPU_ENABLED))
		return;
	for (int i = 0; i < m->ncpus; i++)
		if (m->apic_ids[i] == apic_id)
			return;
	if (m->ncpus == MAX_CPUS) {
		console_printf("gort: more than %d CPUs; APIC id %u is not used\n", MAX_CPUS,
			       apic_id);
		return;
	}
	m->apic_ids[m->ncpus++] = apic_id;
}

static void parse_madt(const uint8_t *t)
{
	struct x86_64_madt *m = &x86_64_madt;
	const uint8_t *end = t + u32_at(t + SDT_LENGTH);
	m->found = true;
	m->lapic_base = u32_at(t + MADT_LAPIC_ADDRESS);
	for (const uint8_t *e = t + MADT_ENTRIES; e + 2 <= end && e[1] >= 2 && e + e[1] <= end;
	     e += e[1]) {
		switch (e[0]) {
		case MADT_LAPIC:
			add_cpu(e[3], u32_at(e + 4));
			break;
		case MADT_X2APIC:
			add_cpu(u32_at(e + 4), u32_at(e + 8));
			break;
		case MADT_IOAPIC:
			if (m->nioapics == MADT_MAX_IOAPICS) {
				console_printf("gort: more than %d IOAPICs; ignoring one\n",
					       MADT_MAX_IOAPICS);
				break;
			}
			m->ioapics[m->nioapics].base = u32_at(e + 4);
			m->ioapics[m->nioapics++].gsi_base = u32_at(e + 8);
			break;
		case MADT_OVERRIDE:
			if (m->noverrides == MADT_MAX_OVERRIDES)
				break;
			m->overrides[m->noverrides].isa_irq = e[3];
			m->overrides[m->noverrides].gsi = u32_at(e + 4);
			m->overrides[m->noverrides++].flags = (uint16_t)(e[8] | e[9] << 8);
			break;
		case MADT_LAPIC_ADDRESS_OVERRIDE:
			m->lapic_base = u64_at(e + 4);
			break;
		}
	}
}

void x86_64_acpi_init(uint64_t rsdp)
{
	const uint8_t *madt = find_madt(rsdp);
	if (madt != NULL)
		parse_madt(madt);
	if (madt == NULL || x86_64_madt.ncpus == 0) {
		console_printf("gort: no ACPI MADT%s; running on the boot CPU only\n",
			       rsdp == 0 ? " (no RSDP)" : "");
		x86_64_madt.found = false;
		x86_64_madt.ncpus = 0;
		x86_64_madt.nioapics = 0;
		x86_64_madt.lapic_base = rdmsr(MSR_APIC_BASE) & PTE_ADDR;
	}
}
