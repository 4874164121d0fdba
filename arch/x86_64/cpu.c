/*
 * x86_64 CPUs: which ones exist (the ACPI MADT), starting them, setting
 * each one up, and idling.
 *
 * Starting a CPU is the Intel SDM's INIT-SIPI-SIPI sequence (volume 3,
 * "MP Initialization"): an INIT IPI, 10 ms, a STARTUP IPI naming the page
 * the trampoline (trampoline.S) was copied to, 200 us, and a second STARTUP
 * unless the CPU already answered the first. The trampoline brings the
 * CPU to long mode on the kernel's page tables and its own stack and calls
 * x86_64_ap_main, which runs arch_cpu_init and kernel_secondary_main.
 *
 * The trampoline page is a page of RAM below 1 MiB (a STARTUP IPI can only
 * name one there) that nothing else uses: 0x8000 when the memory map
 * allows, else the lowest free one above page 0, whose PVH start info is
 * unmapped once read. It is reserved in the memory map at boot, before
 * anything could allocate it.
 */
#include <stddef.h>
#include <string.h>

#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/clock.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/memmap.h"

#define TRAMPOLINE_PREFERRED 0x8000
#define LOW_MEMORY_END       0xa0000 /* real-mode RAM ends where the VGA window begins */
#define INIT_WAIT_NS         10000000ULL
#define STARTUP_WAIT_NS      200000ULL
#define XAPIC_BROADCAST_ID   0xff

extern const uint8_t x86_64_trampoline_start[], x86_64_trampoline_end[];
extern uint8_t x86_64_trampoline_cpu[], x86_64_trampoline_cr3[];

/* Where in struct cpu the trampoline finds its stack and its APIC id. */
const uint32_t x86_64_cpu_stack_top_offset = offsetof(struct cpu, stack_top);
const uint32_t x86_64_cpu_hwid_offset = offsetof(struct cpu, hwid);

/* The trampoline page (0: none), chosen at boot; copied to on the first
 * arch_cpu_start. Boot CPU only. */
static uint64_t trampoline_page;
static bool trampoline_copied;

/* True if no region other than RAM overlaps [base, base + PAGE_SIZE) and
 * a RAM region covers it. */
static bool page_is_free_ram(uint64_t base)
{
	int n;
	const struct memmap_region *r = memmap_regions(&n);
	bool ram = false;
	for (int i = 0; i < n; i++) {
		bool overlaps = r[i].base < base + PAGE_SIZE && base < r[i].base + r[i].size;
		if (overlaps && r[i].type != MEMMAP_RAM)
			return false;
		if (r[i].type == MEMMAP_RAM && r[i].base <= base &&
		    base + PAGE_SIZE <= r[i].base + r[i].size)
			ram = true;
	}
	return ram;
}

void x86_64_trampoline_reserve(void)
{
	if (page_is_free_ram(TRAMPOLINE_PREFERRED))
		trampoline_page = TRAMPOLINE_PREFERRED;
	for (uint64_t p = PAGE_SIZE; trampoline_page == 0 && p < LOW_MEMORY_END; p += PAGE_SIZE)
		if (page_is_free_ram(p))
			trampoline_page = p;
	if (trampoline_page != 0)
		memmap_add(trampoline_page, PAGE_SIZE, MEMMAP_RESERVED);
}

int arch_cpu_enumerate(uint64_t *hwids, int max)
{
	uint32_t boot_id = x86_64_lapic_id();
	int n = 0;
	hwids[n++] = boot_id;
	for (int i = 0; i < x86_64_madt.ncpus && n < max; i++) {
		uint32_t id = x86_64_madt.apic_ids[i];
		if (id == boot_id)
			continue;
		if (!x86_64_lapic_x2apic() && id >= XAPIC_BROADCAST_ID) {
			console_printf("gort: APIC id %u needs the x2APIC; CPU not used\n", id);
			continue;
		}
		hwids[n++] = id;
	}
	if (n > 1 && trampoline_page == 0) {
		console_printf("gort: no free page below 1 MiB to start CPUs in; "
			       "running on the boot CPU only\n");
		n = 1;
	}
	return n;
}

void arch_cpu_init(struct cpu *c)
{
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
	x86_64_traps_init_cpu(c->id);
	x86_64_lapic_init_cpu(c);
}

/* The trampoline's exit: on c->stack_top, interrupts off, GS base = c. */
_Noreturn void x86_64_ap_main(struct cpu *c)
{
	arch_cpu_init(c);
	kernel_secondary_main(c);
}

/* Where a variable of trampoline.S lives in the copy. */
static void *trampoline_slot(const uint8_t *sym)
{
	return (uint8_t *)(uintptr_t)trampoline_page + (sym - x86_64_trampoline_start);
}

static void wait_ns(uint64_t ns)
{
	uint64_t end = nanotime() + ns;
	while (nanotime() < end)
		arch_cpu_relax();
}

static void send(uint32_t apic_id, uint32_t icr)
{
	unsigned long flags = arch_irq_save();
	x86_64_lapic_send(apic_id, icr);
	arch_irq_restore(flags);
}

bool arch_cpu_start(struct cpu *c)
{
	uint8_t *page = (uint8_t *)(uintptr_t)trampoline_page;
	uint64_t cr3 = read_cr3();
	if (page == NULL || cr3 > UINT32_MAX)
		return false;
	if (!trampoline_copied) {
		memcpy(page, x86_64_trampoline_start,
		       (size_t)(x86_64_trampoline_end - x86_64_trampoline_start));
		trampoline_copied = true;
	}
	uint64_t *cpu_slot = (uint64_t *)trampoline_slot(x86_64_trampoline_cpu);
	uint32_t *cr3_slot = (uint32_t *)trampoline_slot(x86_64_trampoline_cr3);
	/* Withdraw an offer an earlier CPU never took, then make this one. */
	__atomic_store_n(cpu_slot, 0, __ATOMIC_SEQ_CST);
	*cr3_slot = (uint32_t)cr3;
	__atomic_store_n(cpu_slot, (uint64_t)(uintptr_t)c, __ATOMIC_RELEASE);

	uint32_t id = (uint32_t)c->hwid;
	uint32_t vector = (uint32_t)(trampoline_page / PAGE_SIZE);
	send(id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
	wait_ns(INIT_WAIT_NS);
	for (int i = 0; i < 2 && __atomic_load_n(cpu_slot, __ATOMIC_ACQUIRE) != 0; i++) {
		send(id, LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | vector);
		wait_ns(STARTUP_WAIT_NS);
	}
	return true;
}

void arch_idle(void)
{
	/* sti takes effect after the next instruction, so an interrupt that
	 * is already pending wakes the hlt rather than slipping in before it. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}
