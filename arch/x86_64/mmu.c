/*
 * x86_64 page tables: the entry format kernel/vm.c builds the address
 * space with (kernel/arch.h, "Pages and TLBs"), device pages made uncached
 * in the boot identity map, and this CPU's TLB invalidation.
 *
 * The boot tables (boot/x86_64/entry.S) map the first 4 GiB with 2 MiB
 * pages, write-back, and every CPU runs on them (the AP trampoline loads
 * the boot CPU's CR3); kernel/vm.c extends that same tree. Device
 * registers need uncached access: x86_64_map_uncached sets PCD|PWT
 * (uncacheable with the power-on PAT) on the 2 MiB page holding them; the
 * local APIC, IOAPIC and HPET pages hold nothing else.
 *
 * Write tracking is the architectural dirty bit: the CPU sets D with an
 * atomic update on the first write through an entry whose cached copy was
 * clean, so arming a page is clearing D and shooting the page down. New
 * entries are made with A and D set (a fresh page counts as written, and
 * the CPU never has to update them). EFER.NXE is off, so pages are always
 * executable; CR0.WP is on, so read-only pages fault on kernel writes.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/vm.h"

#define IDENTITY_MAP_END      0x100000000ULL
#define FLUSH_ALL_PAGES       32 /* above this many pages, reload CR3 instead */
#define PTE_A                 0x020
#define PTE_D                 0x040
#define CPUID_EXT_FEATURES    0x80000001
#define CPUID_EXT_EDX_PDPE1GB (1u << 26)

extern uint64_t boot_pd[4 * PT_ENTRIES];

/* Whether 1 GiB pages exist (CPUID). Written once by arch_pt_init on the
 * boot CPU before the others start; read-only afterwards. */
static bool gib_pages;

void x86_64_map_uncached(uint64_t pa)
{
	if (pa < LARGE_PAGE_SIZE || pa >= IDENTITY_MAP_END)
		return;
	uint64_t *pde = &boot_pd[pa / LARGE_PAGE_SIZE];
	__atomic_store_n(pde, *pde | PTE_PCD | PTE_PWT, __ATOMIC_RELAXED);
	invlpg((uintptr_t)(pa & ~(uint64_t)(LARGE_PAGE_SIZE - 1)));
}

uint64_t *arch_pt_init(void)
{
	gib_pages = cpuid(CPUID_EXT_FEATURES, 0).edx & CPUID_EXT_EDX_PDPE1GB;
	return (uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR);
}

bool arch_pt_hardware_dirty(void)
{
	return true;
}

bool arch_pte_valid(uint64_t e)
{
	return e & PTE_P;
}

bool arch_pte_is_table(uint64_t e)
{
	return (e & (PTE_P | PTE_PS)) == PTE_P;
}

uint64_t arch_pte_addr(uint64_t e)
{
	return e & PTE_ADDR;
}

uint64_t arch_pte_table(uint64_t table)
{
	return table | PTE_P | PTE_W | PTE_A;
}

uint64_t arch_pte_ram(uint64_t pa, int level)
{
	const uint64_t bits = PTE_P | PTE_W | PTE_A | PTE_D;
	if (level == 0)
		return pa | bits;
	if (level == 1 || (level == 2 && gib_pages))
		return pa | bits | PTE_PS;
	return 0;
}

uint64_t arch_pte_page(uint64_t pa, unsigned prot)
{
	return pa | PTE_P | PTE_A | PTE_D | (prot & VM_WRITE ? PTE_W : 0);
}

unsigned arch_pte_prot(uint64_t e)
{
	return VM_READ | VM_EXEC | (e & PTE_W ? VM_WRITE : 0);
}

uint64_t arch_pte_invalid(uint64_t e)
{
	return e & ~(uint64_t)PTE_P; /* A stays set: never 0 */
}

uint64_t arch_pte_clean(uint64_t e)
{
	return e & ~(uint64_t)PTE_D;
}

bool arch_pte_written(uint64_t e)
{
	return (e & (PTE_P | PTE_W | PTE_D)) == (PTE_P | PTE_W | PTE_D);
}

uint64_t arch_pte_write_fault(uint64_t e)
{
	return e & PTE_W ? e | PTE_D : 0;
}

/* The TLB never holds not-present entries: nothing to do but keep the
 * compiler from moving the stores. */
void arch_pt_mapped(uintptr_t va, size_t len)
{
	(void)va;
	(void)len;
	__asm__ volatile("" : : : "memory");
}

/* invlpg also drops every paging-structure cache entry, so a per-page
 * flush suffices after a table is unlinked too. */
void arch_tlb_flush_local(uintptr_t va, size_t len)
{
	if (len == 0)
		return;
	if (len > FLUSH_ALL_PAGES * PAGE_SIZE) {
		write_cr3(read_cr3());
		return;
	}
	uintptr_t start = va & ~(uintptr_t)(PAGE_SIZE - 1);
	uintptr_t end = (va + len + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
	for (uintptr_t p = start; p < end; p += PAGE_SIZE)
		invlpg(p);
}
