/*
 * x86_64 page tables after boot: device pages made uncached in the boot
 * identity map, and 4 KiB mappings above it, until the address-space layer
 * takes over.
 *
 * The boot tables (entry.S) map the first 4 GiB with 2 MiB pages, write-
 * back. Device registers need uncached access: x86_64_map_uncached sets
 * PCD|PWT (uncacheable with the power-on PAT) on the 2 MiB page holding
 * them; the local APIC, IOAPIC and HPET pages hold nothing else.
 *
 * arch_map_page walks the four levels from CR3 and takes missing tables
 * from a small static pool; tables are never freed. Entries are written
 * with single atomic stores, so another CPU's page walk sees either the old
 * or the new entry.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/spinlock.h"

#define IDENTITY_MAP_END 0x100000000ULL
#define CANONICAL_LOW_END 0x0000800000000000ULL
#define TABLE_POOL_PAGES 16
#define FLUSH_ALL_PAGES 32 /* above this many pages, reload CR3 instead */

extern uint64_t boot_pd[4 * PT_ENTRIES];

/* The page-table pool and every table above the identity map: protected by
 * map_lock, taken with interrupts off. */
static struct spinlock map_lock = SPINLOCK_INIT;
static uint64_t table_pool[TABLE_POOL_PAGES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static int tables_used;

void x86_64_map_uncached(uint64_t pa)
{
	if (pa < LARGE_PAGE_SIZE || pa >= IDENTITY_MAP_END)
		return;
	uint64_t *pde = &boot_pd[pa / LARGE_PAGE_SIZE];
	__atomic_store_n(pde, *pde | PTE_PCD | PTE_PWT, __ATOMIC_RELAXED);
	invlpg((uintptr_t)(pa & ~(uint64_t)(LARGE_PAGE_SIZE - 1)));
}

/* The leaf entry for va, taking missing tables from the pool when create;
 * NULL when a table is missing (and not created) or a large page is in the
 * way. map_lock held. */
static uint64_t *leaf_entry(uintptr_t va, bool create)
{
	uint64_t *table = (uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR);
	for (int shift = PML4_SHIFT; shift > PT_SHIFT; shift -= PT_INDEX_BITS) {
		uint64_t *e = &table[(va >> shift) % PT_ENTRIES];
		if (!(*e & PTE_P)) {
			if (!create || tables_used == TABLE_POOL_PAGES)
				return NULL;
			uint64_t *t = table_pool[tables_used++];
			__atomic_store_n(e, (uint64_t)(uintptr_t)t | PTE_P | PTE_W,
					 __ATOMIC_RELEASE);
		}
		if (*e & PTE_PS)
			return NULL;
		table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	}
	return &table[(va >> PT_SHIFT) % PT_ENTRIES];
}

bool arch_map_page(uintptr_t va, uint64_t pa)
{
	if (va < IDENTITY_MAP_END || va >= CANONICAL_LOW_END)
		return false;
	bool unmap = pa == ARCH_NO_PAGE;
	unsigned long flags = spin_lock_irqsave(&map_lock);
	uint64_t *pte = leaf_entry(va, !unmap);
	if (pte != NULL)
		__atomic_store_n(pte, unmap ? 0 : (pa & PTE_ADDR) | PTE_P | PTE_W,
				 __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&map_lock, flags);
	return pte != NULL || unmap;
}

void arch_tlb_flush_local(uintptr_t va, size_t len)
{
	if (len == 0)
		return;
	uintptr_t start = va & ~(uintptr_t)(PAGE_SIZE - 1);
	uintptr_t end = (va + len + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_PAGES) {
		write_cr3(read_cr3());
		return;
	}
	for (uintptr_t p = start; p < end; p += PAGE_SIZE)
		invlpg(p);
}
