/*
 * Reading the flattened device tree (aarch64 and riscv64 loaders pass one)
 * with libfdt: memory nodes become RAM in the memory map, the memreserve
 * block, /reserved-memory children and the blob itself become reserved
 * regions, and /chosen/bootargs is the boot command line.
 */
#ifndef GORT_KERNEL_DEVICETREE_H
#define GORT_KERNEL_DEVICETREE_H

#include <stdbool.h>

/* Whether p points at a device tree blob with a valid header. */
bool devicetree_valid(const void *p);

/* Records the memory map from the tree and returns /chosen/bootargs (a
 * pointer into the blob), or NULL if there is none. */
const char *devicetree_scan(const void *fdt);

#endif
