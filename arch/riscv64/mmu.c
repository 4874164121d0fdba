/*
 * The riscv64 kernel page tables: the boot identity map every hart runs
 * on, the entry format kernel/vm.c builds the address space with
 * (kernel/arch.h, "Pages and TLBs"), and this hart's TLB flush.
 *
 * Sv48 (four levels, 256 TiB of virtual space: enough for a million
 * goroutine stack reservations beside the heap, where Sv39's 256 GiB half
 * is not). The boot map:
 *   0 - 4 KiB       unmapped: a nil dereference faults
 *   4 KiB - 2 MiB   4 KiB pages (QEMU virt's test finisher and RTC live here)
 *   2 MiB - 1 GiB   2 MiB pages (QEMU virt's other devices, the PLIC)
 *   1 GiB - 512 GiB 1 GiB pages (RAM starts at 2 GiB on QEMU virt)
 * Memory types come from the platform's PMAs, not the page tables. A and D
 * are set in every boot leaf so hardware that faults instead of setting
 * them (Svade) never does so for the boot map. Every hart shares the one
 * root; kernel/vm.c adds to it.
 *
 * Write tracking, chosen once in arch_pt_init:
 *   - the D bit, where the hardware sets it on a write (QEMU does, without
 *     a fault): arming clears D. A hart that faults instead lands in
 *     vm_fault, and arch_pte_write_fault sets D, so even an undeclared
 *     Svade is handled.
 *   - write protection, when the device tree names Svade for a hart: a
 *     writable page carries the software bit PTE_SW_WRITE and keeps A and
 *     D set; arming clears W, and the first write faults into vm_fault,
 *     which sets W again.
 * A page is written when W and D are both set (D is always set in the
 * second scheme). Only sfence.vma without an address is sure to drop
 * cached non-leaf entries, so ARCH_TLB_ALL flushes everything.
 */
#include <stdint.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/vm.h"

#define GIB             (1ULL << 30)
#define MIB2            (1ULL << 21)
#define FLUSH_ALL_PAGES 64 /* above this many pages, flush the whole TLB */

uint64_t riscv64_satp;

static uint64_t root[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l2[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l1_first_gib[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l0_first_2mib[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

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

/* The marker of a writable page that write tracking may protect: 0 while
 * the D bit does the tracking, PTE_SW_WRITE with write protection. Written
 * once by arch_pt_init on the boot hart before the others start;
 * read-only afterwards. */
static uint64_t write_marker;

uint64_t *arch_pt_init(void)
{
	for (int i = 0; i < riscv64_platform.nharts; i++)
		if (riscv64_platform.harts[i].svade)
			write_marker = PTE_SW_WRITE;
	return root;
}

bool arch_pt_hardware_dirty(void)
{
	return write_marker == 0;
}

bool arch_pte_valid(uint64_t e)
{
	return e & PTE_V;
}

bool arch_pte_is_table(uint64_t e)
{
	return (e & (PTE_V | PTE_R | PTE_W | PTE_X)) == PTE_V;
}

uint64_t arch_pte_addr(uint64_t e)
{
	return (uint64_t)(uintptr_t)pte_table(e);
}

uint64_t arch_pte_table(uint64_t table)
{
	return pte(table, PTE_V);
}

uint64_t arch_pte_ram(uint64_t pa, int level)
{
	if (level > 2)
		return 0;
	return pte(pa, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G);
}

uint64_t arch_pte_page(uint64_t pa, unsigned prot)
{
	uint64_t bits = PTE_V | PTE_R | PTE_A | PTE_D | PTE_G;
	if (prot & VM_WRITE)
		bits |= PTE_W | write_marker;
	if (prot & VM_EXEC)
		bits |= PTE_X;
	return pte(pa, bits);
}

unsigned arch_pte_prot(uint64_t e)
{
	unsigned prot = VM_READ;
	if (e & (PTE_W | PTE_SW_WRITE))
		prot |= VM_WRITE;
	if (e & PTE_X)
		prot |= VM_EXEC;
	return prot;
}

uint64_t arch_pte_invalid(uint64_t e)
{
	return (e & ~(uint64_t)PTE_V) | PTE_SW_STALE;
}

uint64_t arch_pte_clean(uint64_t e)
{
	if (e & PTE_SW_WRITE)
		return e & ~(uint64_t)PTE_W;
	return e & ~(uint64_t)PTE_D;
}

bool arch_pte_written(uint64_t e)
{
	return (e & (PTE_V | PTE_W | PTE_D)) == (PTE_V | PTE_W | PTE_D);
}

uint64_t arch_pte_write_fault(uint64_t e)
{
	if (e & PTE_W)
		return e | PTE_A | PTE_D;
	return e & PTE_SW_WRITE ? e | PTE_W : 0;
}

/* Without Svvptc a hart may keep a stale "invalid" for a new entry: flush
 * this hart's; other harts retry through vm_fault. */
void arch_pt_mapped(uintptr_t va, size_t len)
{
	arch_tlb_flush_local(va, len);
}

void arch_tlb_flush_local(uintptr_t va, size_t len)
{
	if (len > FLUSH_ALL_PAGES * PAGE_SIZE) {
		__asm__ volatile("sfence.vma" : : : "memory");
		return;
	}
	uintptr_t start = va & ~(uintptr_t)(PAGE_SIZE - 1), end = va + len;
	for (uintptr_t p = start; p < end; p += PAGE_SIZE)
		__asm__ volatile("sfence.vma %0, zero" : : "r"(p) : "memory");
}
