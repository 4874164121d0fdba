/*
 * The riscv64 kernel page tables: the boot identity map every hart runs
 * on, and the early page mapper (arch_map_page) with its TLB flush.
 *
 * Sv48 (four levels, 256 TiB of virtual space: enough for a million
 * goroutine stack reservations beside the heap, where Sv39's 256 GiB half
 * is not). The boot map:
 *   0 - 4 KiB       unmapped: a nil dereference faults
 *   4 KiB - 2 MiB   4 KiB pages (QEMU virt's test finisher and RTC live here)
 *   2 MiB - 1 GiB   2 MiB pages (QEMU virt's other devices, the PLIC)
 *   1 GiB - 512 GiB 1 GiB pages (RAM starts at 2 GiB on QEMU virt)
 * Memory types come from the platform's PMAs, not the page tables. A and D
 * are set in every leaf so hardware that faults instead of setting them
 * (Svade) never does so for the boot map.
 *
 * arch_map_page maps single 4 KiB pages above the boot map (root entries 1
 * and up), taking the intermediate tables it needs from a small static
 * pool; tables are never freed (until the address-space layer replaces
 * this). Every hart shares the one root, so a new mapping is visible to
 * all once their TLBs are flushed (tlb_shootdown).
 */
#include <stdint.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/spinlock.h"

#define GIB             (1ULL << 30)
#define MIB2            (1ULL << 21)
#define POOL_TABLES     16
#define FLUSH_ALL_PAGES 64 /* above this many pages, flush the whole TLB */
#define SV48_VA_BITS    48

uint64_t riscv64_satp;

static uint64_t root[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l2[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l1_first_gib[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l0_first_2mib[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

/* The table pool and every table arch_map_page writes (the root's entries
 * above the boot map included) are protected by map_lock, taken with
 * interrupts off (a page-fault handler may map pages). */
static struct spinlock map_lock = SPINLOCK_INIT;
static uint64_t pool[POOL_TABLES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static int pool_used;

static uint64_t pte(uint64_t pa, uint64_t bits)
{
	return (pa >> PAGE_SHIFT) << PTE_PPN_SHIFT | bits;
}

static uint64_t *pte_table(uint64_t e)
{
	return (uint64_t *)((e >> PTE_PPN_SHIFT) << PAGE_SHIFT);
}

void riscv64_mmu_enable(void)
{
	const uint64_t leaf = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G;
	for (uint64_t i = 1; i < PT_ENTRIES; i++)
		l0_first_2mib[i] = pte(i * PAGE_SIZE, leaf);
	l1_first_gib[0] = pte((uint64_t)l0_first_2mib, PTE_V);
	for (uint64_t i = 1; i < PT_ENTRIES; i++)
		l1_first_gib[i] = pte(i * MIB2, leaf);
	l2[0] = pte((uint64_t)l1_first_gib, PTE_V);
	for (uint64_t i = 1; i < PT_ENTRIES; i++)
		l2[i] = pte(i * GIB, leaf);
	root[0] = pte((uint64_t)l2, PTE_V);

	uint64_t satp = SATP_MODE_SV48 | (uint64_t)root >> PAGE_SHIFT, got;
	__asm__ volatile("sfence.vma\ncsrw satp, %1\ncsrr %0, satp\nsfence.vma"
			 : "=r"(got)
			 : "r"(satp)
			 : "memory");
	if (got >> SATP_MODE_SHIFT != SATP_MODE_SV48 >> SATP_MODE_SHIFT) {
		console_printf("fatal error: this CPU does not support Sv48 paging\n");
		machine_exit(2);
	}
	riscv64_satp = satp;
}

static unsigned pt_index(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + PT_INDEX_BITS * level)) & (PT_ENTRIES - 1);
}

/* Whether va is a canonical Sv48 address (bits 63..47 all equal). */
static bool canonical(uintptr_t va)
{
	int64_t top = (int64_t)va >> (SV48_VA_BITS - 1);
	return top == 0 || top == -1;
}

/* The level-0 entry for va, with the tables on the way created from the
 * pool when create; NULL if a table is missing and not created (or the
 * pool is empty), or if va lies in a boot-map large page. map_lock held. */
static uint64_t *leaf_entry(uintptr_t va, bool create)
{
	uint64_t *table = root;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		uint64_t *e = &table[pt_index(va, level)];
		if (*e & (PTE_R | PTE_W | PTE_X))
			return NULL;
		if (!(*e & PTE_V)) {
			if (!create || pool_used == POOL_TABLES)
				return NULL;
			/* Pool tables are zeroed .bss: empty before they are linked in. */
			__atomic_store_n(e, pte((uint64_t)pool[pool_used++], PTE_V),
					 __ATOMIC_RELEASE);
		}
		table = pte_table(*e);
	}
	return &table[pt_index(va, 0)];
}

/* Besides an empty pool, returns false for an unaligned or non-canonical
 * address and for one inside the boot map's large pages. */
bool arch_map_page(uintptr_t va, uint64_t pa)
{
	bool unmap = pa == ARCH_NO_PAGE;
	if (!canonical(va) || va % PAGE_SIZE != 0 || (!unmap && pa % PAGE_SIZE != 0))
		return false;
	const uint64_t leaf = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;
	unsigned long flags = spin_lock_irqsave(&map_lock);
	uint64_t *e = leaf_entry(va, !unmap);
	if (e != NULL)
		__atomic_store_n(e, unmap ? 0 : pte(pa, leaf), __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&map_lock, flags);
	return e != NULL || unmap;
}

void arch_tlb_flush_local(uintptr_t va, size_t len)
{
	uintptr_t start = va & ~(uintptr_t)(PAGE_SIZE - 1), end = va + len;
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_PAGES) {
		__asm__ volatile("sfence.vma" : : : "memory");
		return;
	}
	for (uintptr_t p = start; p < end; p += PAGE_SIZE)
		__asm__ volatile("sfence.vma %0, zero" : : "r"(p) : "memory");
}
