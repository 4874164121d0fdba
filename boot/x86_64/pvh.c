/*
 * x86_64_boot: the C half of the PVH entry. Reads the hvm_start_info block
 * the loader left (layout from Xen's public arch-x86/hvm/start_info.h,
 * version 1: command line and E820-style memory map), installs the trap
 * vectors and their stacks first (the boot CPU's exception stack is known
 * statically: kernel/smp.c), brings up the console, reads the ACPI MADT,
 * masks every device interrupt, learns the TSC's frequency and the local
 * APIC timer's, and enters kernel_main. Loaders put the start info in
 * page 0, which stays mapped only until it has been copied.
 */
#include <stdint.h>
#include <string.h>

#include "arch/x86_64/arch.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/memmap.h"

#define HVM_START_MAGIC 0x336ec578
#define E820_RAM        1

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

extern char __image_start[], __image_end[];
extern uint64_t boot_pt0[512];

static char cmdline[4096];

/* The ACPI RSDP address the loader reported (0 if none); SMP bring-up and
 * interrupt routing read the MADT through it. */
uint64_t x86_64_rsdp;

void x86_64_boot(uint32_t start_info_paddr)
{
	x86_64_traps_init();
	x86_64_console_init();
	kernel_console_ready();

	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_paddr;
	if (si == NULL || si->magic != HVM_START_MAGIC) {
		console_printf("fatal error: no PVH start info (magic %#x)\n",
			       si != NULL ? si->magic : 0);
		machine_exit(2);
	}
	x86_64_rsdp = si->rsdp_paddr;
	if (si->version >= 1 && si->memmap_paddr != 0) {
		const struct hvm_memmap_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
		for (uint32_t i = 0; i < si->memmap_entries; i++)
			memmap_add(e[i].addr, e[i].size,
				   e[i].type == E820_RAM ? MEMMAP_RAM : MEMMAP_RESERVED);
	} else {
		console_printf("gort: PVH start info version %u has no memory map\n", si->version);
	}
	memmap_add((uintptr_t)__image_start, (uintptr_t)(__image_end - __image_start),
		   MEMMAP_IMAGE);
	const char *raw = (const char *)(uintptr_t)si->cmdline_paddr;
	if (raw != NULL)
		strlcpy(cmdline, raw, sizeof cmdline);
	x86_64_acpi_init(x86_64_rsdp);

	/* Everything the loader left in page 0 has been read: unmap it so a
	 * nil dereference faults. */
	boot_pt0[0] = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(0UL) : "memory");

	x86_64_trampoline_reserve();
	x86_64_irq_init();
	x86_64_clock_init();
	x86_64_lapic_setup();
	kernel_main(cmdline);
}
