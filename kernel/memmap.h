/*
 * The physical memory map as the firmware reported it (PVH start info on
 * x86_64, the device tree's /memory nodes and reservations elsewhere), plus
 * the image itself. The physical page allocator is built from it; with
 * gort.verbose=1 it is printed at boot.
 *
 * Written only during boot, on the boot CPU, before any other CPU runs.
 */
#ifndef GORT_KERNEL_MEMMAP_H
#define GORT_KERNEL_MEMMAP_H

#include <stdint.h>

enum memmap_type {
	MEMMAP_RAM,      /* usable RAM */
	MEMMAP_RESERVED, /* firmware, ACPI, reserved-memory nodes: never touched */
	MEMMAP_IMAGE,    /* the loaded gort image (inside RAM) */
};

struct memmap_region {
	uint64_t base, size;
	enum memmap_type type;
};

#define MEMMAP_MAX_REGIONS 64

/* Records a region. Regions beyond MEMMAP_MAX_REGIONS are dropped with a
 * console message (memory lost, never corrupted). */
void memmap_add(uint64_t base, uint64_t size, enum memmap_type type);

/* The recorded regions, in the order they were added. */
const struct memmap_region *memmap_regions(int *n);

/* Bytes of usable RAM. */
uint64_t memmap_ram_bytes(void);

/* Prints every region, one line each. */
void memmap_print(void);

#endif
