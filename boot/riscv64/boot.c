/*
 * riscv64_boot: the C half of the riscv64 entry. Installs the trap vector
 * first (its exception stack is cpus[0]'s, known statically), then brings
 * up the console, turns on Sv48 paging with the boot identity map
 * (arch/riscv64/mmu.c), reads the device tree (memory, command line, and
 * the harts, timebase, PLIC and RTC: arch/riscv64/platform.c) and enters
 * kernel_main.
 */
#include <stdint.h>

#include "arch/riscv64/arch.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/devicetree.h"
#include "kernel/exit.h"
#include "kernel/memmap.h"

extern char __image_start[], __image_end[];

void riscv64_boot(uint64_t hartid, uintptr_t dtb)
{
	riscv64_traps_init(&cpus[0]);
	riscv64_console_init();
	kernel_console_ready();
	riscv64_mmu_enable();

	const void *fdt = (const void *)dtb;
	if (!devicetree_valid(fdt)) {
		console_printf("fatal error: no device tree (a1=%#lx)\n", (unsigned long)dtb);
		machine_exit(2);
	}
	const char *bootargs = devicetree_scan(fdt);
	riscv64_platform_scan(fdt, hartid);
	memmap_add((uintptr_t)__image_start, (uintptr_t)(__image_end - __image_start),
		   MEMMAP_IMAGE);
	kernel_main(bootargs);
}
