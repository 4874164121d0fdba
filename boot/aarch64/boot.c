/*
 * aarch64_boot: the C half of the aarch64 entry. Turns the MMU and caches
 * on with a static identity map, brings up the console and the exception
 * vectors, reads the device tree (memory map, then what the arch layer
 * needs: CPUs, PSCI, GIC, timer, RTC), sets up the GIC distributor and
 * enters kernel_main.
 *
 * The boot map (4 KiB granule, 48-bit addresses, TTBR0 only):
 *   0 - 4 KiB        unmapped: a nil dereference faults
 *   4 KiB - 1 GiB    device memory (QEMU virt's UART, GIC, virtio, ...)
 *   1 GiB - 256 GiB  normal write-back memory: QEMU virt's RAM window
 * Everything else faults. The page allocator and address space (a later
 * layer) map what the memory map describes.
 *
 * mmu_enable runs with the MMU off, where every access is a device access:
 * it only makes aligned stores to tables that .bss zeroing already cleared.
 * The translation registers it computes stay in aarch64_mmu_regs, written
 * to memory before any cache is on, so that secondaries (which start with
 * the MMU off) turn on the same map through the same aarch64_mmu_on.
 */
#include <stdint.h>

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/arch.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/devicetree.h"
#include "kernel/exit.h"
#include "kernel/memmap.h"

#define GIB         (1ULL << 30)
#define MIB2        (1ULL << 21)
#define PAGE        4096ULL
#define PARANGE_MAX 5 /* 48-bit physical addresses */

extern char __image_start[], __image_end[];

static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_first_gib[512] __attribute__((aligned(4096)));
static uint64_t l3_first_2mib[512] __attribute__((aligned(4096)));

struct aarch64_mmu_regs aarch64_mmu_regs;

static void mmu_enable(void)
{
	const uint64_t device = PTE_ATTR(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN;
	const uint64_t normal = PTE_BLOCK | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_AF | PTE_SH_INNER;

	for (uint64_t i = 1; i < 512; i++)
		l3_first_2mib[i] = i * PAGE | device | PTE_PAGE;
	l2_first_gib[0] = (uint64_t)l3_first_2mib | PTE_TABLE;
	for (uint64_t i = 1; i < 512; i++)
		l2_first_gib[i] = i * MIB2 | device | PTE_BLOCK;
	l1[0] = (uint64_t)l2_first_gib | PTE_TABLE;
	for (uint64_t i = VIRT_RAM_BASE / GIB; i < BOOT_MAP_END / GIB; i++)
		l1[i] = i * GIB | normal;
	l0[0] = (uint64_t)l1 | PTE_TABLE;

	uint64_t mmfr0;
	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	uint64_t parange = mmfr0 & 0xf;
	if (parange > PARANGE_MAX)
		parange = PARANGE_MAX;
	aarch64_mmu_regs.mair = (uint64_t)MAIR_DEVICE_nGnRE << (8 * MAIR_IDX_DEVICE) |
				(uint64_t)MAIR_NORMAL_WB << (8 * MAIR_IDX_NORMAL);
	aarch64_mmu_regs.tcr = TCR_T0SZ_48 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
			       TCR_EPD1 | parange << TCR_IPS_SHIFT;
	aarch64_mmu_regs.ttbr0 = (uint64_t)l0;
	aarch64_mmu_on();
}

void aarch64_boot(uintptr_t x0)
{
	mmu_enable();
	aarch64_console_init();
	kernel_console_ready();
	aarch64_traps_init();

	const void *fdt = (const void *)x0;
	if (!devicetree_valid(fdt))
		fdt = (const void *)VIRT_RAM_BASE;
	if (!devicetree_valid(fdt)) {
		console_printf("fatal error: no device tree (x0=%#lx, none at %#x)\n",
			       (unsigned long)x0, VIRT_RAM_BASE);
		machine_exit(2);
	}
	const char *bootargs = devicetree_scan(fdt);
	memmap_add((uintptr_t)__image_start, (uintptr_t)(__image_end - __image_start),
		   MEMMAP_IMAGE);
	aarch64_platform_scan(fdt);
	gic_init();
	kernel_main(bootargs);
}
