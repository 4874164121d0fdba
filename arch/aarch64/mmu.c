/*
 * Single 4 KiB pages in the kernel's page tables, outside the boot identity
 * map (boot/aarch64/boot.c; a page inside it is refused), and this CPU's TLB invalidation; the layer
 * under the address space, which does not exist yet.
 *
 * The tables hang off the boot map's level-0 table (aarch64_mmu_regs.ttbr0).
 * Missing level-1, -2 and -3 tables come from a small static pool, never
 * returned. Table walks are cacheable and inner-shareable (TCR_EL1), so a
 * store to a table is seen by every CPU's walker once a DSB has completed
 * it; stale TLB entries are the caller's business (arch_tlb_flush_local,
 * tlb_shootdown).
 */
#include "arch/aarch64/arch.h"
#include "kernel/arch.h"
#include "kernel/spinlock.h"

#define POOL_PAGES 16
#define PAGE_BYTES (1UL << PAGE_SHIFT)
/* A data page: normal write-back memory, never executed. */
#define PAGE_ATTRS (PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AF | PTE_SH_INNER | PTE_PXN | PTE_UXN)
#define PAGE_LEAF  (PTE_PAGE | PAGE_ATTRS)
/* Above this many pages, one full flush is cheaper than a TLBI per page. */
#define FLUSH_ALL_PAGES 64

/* map_lock protects pool_used and every store arch_map_page makes to the
 * page tables.
 * Taken with interrupts off, so that interrupt handlers may map and unmap
 * pages too. */
static struct spinlock map_lock = SPINLOCK_INIT;
static uint64_t pool[POOL_PAGES][PT_ENTRIES] __attribute__((aligned(PAGE_BYTES)));
static int pool_used;

static unsigned index_at(uintptr_t va, unsigned shift)
{
	return (unsigned)(va >> shift) % PT_ENTRIES;
}

/* The table that entry index of table points to, made from the pool when
 * allocate is set and there is none. NULL: no table (a block of the boot
 * map, or none and allocate clear, or the pool is empty). map_lock held. */
static uint64_t *next_table(uint64_t *table, unsigned index, bool allocate)
{
	uint64_t e = table[index];
	if ((e & PTE_TABLE) == PTE_TABLE)
		return (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
	if ((e & PTE_VALID) || !allocate || pool_used == POOL_PAGES)
		return NULL;
	uint64_t *t = pool[pool_used++];
	/* The zeroed table is visible to walkers before the entry that links it. */
	__asm__ volatile("dsb ishst" : : : "memory");
	__atomic_store_n(&table[index], (uint64_t)(uintptr_t)t | PTE_TABLE, __ATOMIC_RELAXED);
	return t;
}

bool arch_map_page(uintptr_t va, uint64_t pa)
{
	bool map = pa != ARCH_NO_PAGE;
	if (va < BOOT_MAP_END || va % PAGE_BYTES != 0 || va >> VA_BITS != 0 ||
	    (map && pa % PAGE_BYTES != 0))
		return false;
	unsigned long flags = spin_lock_irqsave(&map_lock);
	uint64_t *t = (uint64_t *)(uintptr_t)(aarch64_mmu_regs.ttbr0 & PTE_ADDR_MASK);
	static const unsigned shifts[] = {PT_L0_SHIFT, PT_L1_SHIFT, PT_L2_SHIFT};
	for (unsigned i = 0; t != NULL && i < sizeof shifts / sizeof shifts[0]; i++)
		t = next_table(t, index_at(va, shifts[i]), map);
	bool ok = t != NULL || !map;
	if (t != NULL) {
		__atomic_store_n(&t[index_at(va, PT_L3_SHIFT)], map ? pa | PAGE_LEAF : 0,
				 __ATOMIC_RELAXED);
		__asm__ volatile("dsb ishst" : : : "memory");
	}
	spin_unlock_irqrestore(&map_lock, flags);
	return ok;
}

void arch_tlb_flush_local(uintptr_t va, size_t len)
{
	uintptr_t start = va & ~(PAGE_BYTES - 1), end = va + len;
	__asm__ volatile("dsb ishst" : : : "memory");
	if (len > FLUSH_ALL_PAGES * PAGE_BYTES) {
		__asm__ volatile("tlbi vmalle1" : : : "memory");
	} else {
		for (uintptr_t a = start; a < end; a += PAGE_BYTES)
			__asm__ volatile("tlbi vaae1, %0"
					 :
					 : "r"((a >> TLBI_VA_SHIFT) & TLBI_VA_MASK)
					 : "memory");
	}
	__asm__ volatile("dsb nsh\n\tisb" : : : "memory");
}
