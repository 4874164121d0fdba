/*
 * aarch64 page tables: the descriptor format kernel/vm.c builds the
 * address space with (kernel/arch.h, "Pages and TLBs"), and this CPU's TLB
 * invalidation.
 *
 * The tree is the boot map's (boot/aarch64/boot.c: 4 KiB granule, 48-bit
 * addresses, TTBR0 only), which every CPU runs on. Table walks are
 * cacheable and inner-shareable (TCR_EL1), so a store to a table reaches
 * every CPU's walker; the DSB in arch_pt_mapped and before every TLBI
 * completes it for this CPU.
 *
 * Write tracking, two ways, chosen once in arch_pt_init:
 *   - FEAT_HAFDBS (ID_AA64MMFR1_EL1.HAFDBS >= 2, QEMU's -cpu max): with
 *     TCR_EL1.HA and HD set, a writable page carries DBM, and AP[2]
 *     (read-only) is its dirty state: arming sets AP[2], the hardware
 *     clears it atomically on the first write, no fault taken.
 *   - Otherwise (cortex-a72): a writable page carries the software bit
 *     PTE_SW_WRITE; arming sets AP[2], and the first write takes a
 *     permission fault that vm_fault resolves by clearing AP[2] again.
 * Either way a page is written exactly when it is writable in hardware,
 * and "writable at all" is the DBM or software bit (the marker).
 * Changing only AP[2], DBM and PXN of a live entry needs no break-before-
 * make sequence.
 */
#include "arch/aarch64/arch.h"
#include "kernel/arch.h"
#include "kernel/vm.h"

#define PAGE_BYTES (1UL << PAGE_SHIFT)
/* Normal write-back memory, inner shareable, accessed; never run by EL0. */
#define NORMAL_ATTRS (PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AF | PTE_SH_INNER | PTE_UXN)
/* Above this many pages, one full flush is cheaper than a TLBI per page. */
#define FLUSH_ALL_PAGES 64
#define CACHE_LINE_MIN  16 /* no data cache line is smaller */

/* The marker of a writable page: PTE_DBM with hardware dirty state, else
 * PTE_SW_WRITE. Written once by arch_pt_init on the boot CPU before the
 * others start; read-only afterwards. */
static uint64_t write_marker = PTE_SW_WRITE;

/* Cleans [p, p + len) to the point of coherency, for readers that run
 * with the MMU and caches off (secondaries starting). */
static void clean_to_poc(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(CACHE_LINE_MIN - 1);
	for (; a < (uintptr_t)p + len; a += CACHE_LINE_MIN)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

uint64_t *arch_pt_init(void)
{
	uint64_t mmfr1;
	__asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(mmfr1));
	if ((mmfr1 & ID_AA64MMFR1_HAFDBS_MASK) >= HAFDBS_DIRTY) {
		/* Secondaries load TCR_EL1 from aarch64_mmu_regs with their
		 * caches off: the new value must reach memory. */
		aarch64_mmu_regs.tcr |= TCR_HA | TCR_HD;
		clean_to_poc(&aarch64_mmu_regs, sizeof aarch64_mmu_regs);
		__asm__ volatile("msr tcr_el1, %0\n\tisb" : : "r"(aarch64_mmu_regs.tcr) : "memory");
		write_marker = PTE_DBM;
	}
	return (uint64_t *)(uintptr_t)(aarch64_mmu_regs.ttbr0 & PTE_ADDR_MASK);
}

bool arch_pt_hardware_dirty(void)
{
	return write_marker == PTE_DBM;
}

bool arch_pte_valid(uint64_t e)
{
	return e & PTE_VALID;
}

bool arch_pte_is_table(uint64_t e)
{
	return (e & PTE_TABLE) == PTE_TABLE;
}

uint64_t arch_pte_addr(uint64_t e)
{
	return e & PTE_ADDR_MASK;
}

uint64_t arch_pte_table(uint64_t table)
{
	return table | PTE_TABLE;
}

uint64_t arch_pte_ram(uint64_t pa, int level)
{
	if (level > 2)
		return 0;
	return pa | NORMAL_ATTRS | PTE_PXN | (level == 0 ? PTE_PAGE : PTE_BLOCK);
}

uint64_t arch_pte_page(uint64_t pa, unsigned prot)
{
	uint64_t e = pa | PTE_PAGE | NORMAL_ATTRS;
	if (!(prot & VM_EXEC))
		e |= PTE_PXN;
	return e | (prot & VM_WRITE ? write_marker : PTE_AP_RO);
}

unsigned arch_pte_prot(uint64_t e)
{
	unsigned prot = VM_READ;
	if (!(e & PTE_AP_RO) || (e & write_marker))
		prot |= VM_WRITE;
	if (!(e & PTE_PXN))
		prot |= VM_EXEC;
	return prot;
}

uint64_t arch_pte_invalid(uint64_t e)
{
	return e & ~(uint64_t)PTE_VALID; /* bit 1 or the attributes stay: never 0 */
}

uint64_t arch_pte_clean(uint64_t e)
{
	return e & write_marker ? e | PTE_AP_RO : e;
}

bool arch_pte_written(uint64_t e)
{
	return (e & (PTE_VALID | write_marker | PTE_AP_RO)) == (PTE_VALID | write_marker);
}

uint64_t arch_pte_write_fault(uint64_t e)
{
	if (!(e & PTE_AP_RO))
		return e;
	return e & write_marker ? e & ~(uint64_t)PTE_AP_RO : 0;
}

void arch_pt_mapped(uintptr_t va, size_t len)
{
	(void)va;
	(void)len;
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
}

/* TLBI VAAE1 (not the last-level-only VAALE1) also drops cached table
 * entries on the way to each page. */
void arch_tlb_flush_local(uintptr_t va, size_t len)
{
	__asm__ volatile("dsb ishst" : : : "memory");
	if (len > FLUSH_ALL_PAGES * PAGE_BYTES) {
		__asm__ volatile("tlbi vmalle1" : : : "memory");
	} else {
		uintptr_t start = va & ~(PAGE_BYTES - 1), end = va + len;
		for (uintptr_t a = start; a < end; a += PAGE_BYTES)
			__asm__ volatile("tlbi vaae1, %0"
					 :
					 : "r"((a >> TLBI_VA_SHIFT) & TLBI_VA_MASK)
					 : "memory");
	}
	__asm__ volatile("dsb nsh\n\tisb" : : : "memory");
}
