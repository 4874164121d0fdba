/*
 * riscv64_boot: the C half of the riscv64 entry. Turns on Sv48 paging with
 * a static identity map, brings up the console and the trap vector, reads
 * the device tree and enters kernel_main.
 *
 * Sv48 (four levels, 256 TiB of virtual space: enough for a million
 * goroutine stack reservations beside the heap, where Sv39's 256 GiB half
 * is not). The boot map:
 *   0 - 4 KiB       unmapped: a nil dereference faults
 *   4 KiB - 2 MiB   4 KiB pages (QEMU virt's test finisher lives here)
 *   2 MiB - 1 GiB   2 MiB pages (QEMU virt's other devices)
 *   1 GiB - 512 GiB 1 GiB pages (RAM starts at 2 GiB on QEMU virt)
 * Memory types come from the platform's PMAs, not the page tables. A and D
 * are set in every leaf so hardware that faults instead of setting them
 * (Svade) never does so for the boot map.
 */
#include <stdint.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/devicetree.h"
#include "kernel/exit.h"
#include "kernel/memmap.h"

#define GIB (1ULL << 30)
#define MIB2 (1ULL << 21)
#define PAGE 4096ULL

extern char __image_start[], __image_end[];

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l1_first_gib[512] __attribute__((aligned(4096)));
static uint64_t l0_first_2mib[512] __attribute__((aligned(4096)));

static uint64_t pte(uint64_t pa, uint64_t bits)
{
	return (pa >> 12) << PTE_PPN_SHIFT | bits;
}

static void mmu_enable(void)
{
	const uint64_t leaf = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_G;
	for (uint64_t i = 1; i < 512; i++)
		l0_first_2mib[i] = pte(i * PAGE, leaf);
	l1_first_gib[0] = pte((uint64_t)l0_first_2mib, PTE_V);
	for (uint64_t i = 1; i < 512; i++)
		l1_first_gib[i] = pte(i * MIB2, leaf);
	l2[0] = pte((uint64_t)l1_first_gib, PTE_V);
	for (uint64_t i = 1; i < 512; i++)
		l2[i] = pte(i * GIB, leaf);
	root[0] = pte((uint64_t)l2, PTE_V);

	uint64_t satp = SATP_MODE_SV48 | (uint64_t)root >> 12, got;
	__asm__ volatile("sfence.vma\ncsrw satp, %1\ncsrr %0, satp\nsfence.vma"
			 : "=r"(got)
			 : "r"(satp)
			 : "memory");
	if (got >> SATP_MODE_SHIFT != SATP_MODE_SV48 >> SATP_MODE_SHIFT) {
		console_printf("fatal error: this CPU does not support Sv48 paging\n");
		machine_exit(2);
	}
}

void riscv64_boot(uint64_t hartid, uintptr_t dtb)
{
	(void)hartid;
	riscv64_console_init();
	kernel_console_ready();
	mmu_enable();
	riscv64_traps_init();

	const void *fdt = (const void *)dtb;
	if (!devicetree_valid(fdt)) {
		console_printf("fatal error: no device tree (a1=%#lx)\n", (unsigned long)dtb);
		machine_exit(2);
	}
	const char *bootargs = devicetree_scan(fdt);
	memmap_add((uintptr_t)__image_start, (uintptr_t)(__image_end - __image_start),
		   MEMMAP_IMAGE);
	kernel_main(bootargs);
}
