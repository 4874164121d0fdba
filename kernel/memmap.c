/*
 * The boot memory map: a fixed table filled once by the boot code. See
 * memmap.h.
 */
#include "kernel/memmap.h"

#include "kernel/console.h"

static struct memmap_region regions[MEMMAP_MAX_REGIONS];
static int nregions;

void memmap_add(uint64_t base, uint64_t size, enum memmap_type type)
{
	if (size == 0)
		return;
	if (nregions == MEMMAP_MAX_REGIONS) {
		console_printf("gort: memory map full, ignoring [0x%llx, +0x%llx)\n",
			       (unsigned long long)base, (unsigned long long)size);
		return;
	}
	regions[nregions++] = (struct memmap_region){base, size, type};
}

const struct memmap_region *memmap_regions(int *n)
{
	*n = nregions;
	return regions;
}

uint64_t memmap_ram_bytes(void)
{
	uint64_t total = 0;
	for (int i = 0; i < nregions; i++)
		if (regions[i].type == MEMMAP_RAM)
			total += regions[i].size;
	return total;
}

static const char *type_name(enum memmap_type t)
{
	switch (t) {
	case MEMMAP_RAM:
		return "ram";
	case MEMMAP_RESERVED:
		return "reserved";
	case MEMMAP_IMAGE:
		return "image";
	}
	return "?";
}

void memmap_print(void)
{
	console_printf("gort: memory map:\n");
	for (int i = 0; i < nregions; i++) {
		const struct memmap_region *r = &regions[i];
		console_printf("gort:   [0x%016llx-0x%016llx] %-8s %llu KiB\n",
			       (unsigned long long)r->base,
			       (unsigned long long)(r->base + r->size - 1), type_name(r->type),
			       (unsigned long long)(r->size >> 10));
	}
	console_printf("gort: %llu MiB of RAM\n", (unsigned long long)(memmap_ram_bytes() >> 20));
}
