/*
 * Device tree scanning at boot; see devicetree.h. Property values are read
 * with libfdt's alignment-safe loads, since a blob needs only 4-byte
 * alignment and cells may be 64-bit.
 */
#include "kernel/devicetree.h"

#include <libfdt.h>
#include <stdint.h>

#include "kernel/memmap.h"

bool devicetree_valid(const void *p)
{
	return p != NULL && fdt_check_header(p) == 0;
}

static uint64_t read_cells(const fdt32_t *cell, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_ld(&cell[i]);
	return v;
}

/* Adds every (address, size) pair of node's reg property. */
static void add_reg(const void *fdt, int node, int acells, int scells, enum memmap_type type)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg == NULL || acells <= 0 || scells < 0)
		return;
	int stride = acells + scells, n = len / (int)sizeof(fdt32_t);
	for (int i = 0; i + stride <= n; i += stride)
		memmap_add(read_cells(reg + i, acells), read_cells(reg + i + acells, scells), type);
}

const char *devicetree_scan(const void *fdt)
{
	int acells = fdt_address_cells(fdt, 0), scells = fdt_size_cells(fdt, 0);
	for (int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0; node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7))
		add_reg(fdt, node, acells, scells, MEMMAP_RAM);

	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t base, size;
		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			memmap_add(base, size, MEMMAP_RESERVED);
	}
	int resv = fdt_path_offset(fdt, "/reserved-memory");
	if (resv >= 0) {
		int ra = fdt_address_cells(fdt, resv), rs = fdt_size_cells(fdt, resv);
		int child;
		fdt_for_each_subnode(child, fdt, resv) add_reg(fdt, child, ra, rs, MEMMAP_RESERVED);
	}
	memmap_add((uintptr_t)fdt, fdt_totalsize(fdt), MEMMAP_RESERVED);

	int chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return NULL;
	return fdt_getprop(fdt, chosen, "bootargs", NULL);
}
