/*
 * The physical page allocator: the one owner of RAM. Every page the memory
 * map reports as RAM, minus the image, the firmware's and loader's
 * reservations (device tree, ACPI, OpenSBI, the x86 AP trampoline), is
 * handed out from here: to the heap, to goroutine stacks, to page tables;
 * and the scavenger gives pages back here.
 *
 * Physical memory is reached through the identity map (a physical address
 * is also its kernel virtual address; vm_init extends the boot map to all
 * RAM).
 *
 * Counters are exact at every instant: pagealloc_stats takes them under the
 * allocator's lock. Runs of pages are allocated and freed; single pages,
 * the common case, come from a per-CPU cache without the global lock.
 */
#ifndef GORT_KERNEL_PAGEALLOC_H
#define GORT_KERNEL_PAGEALLOC_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

/* Every arch's boot identity map covers at least the physical addresses
 * below this, so until vm_init has mapped all RAM the allocator hands out
 * only pages below it. */
#define PAGEALLOC_BOOT_LIMIT (4ULL << 30)

/* Builds the allocator from the memory map, owning the RAM below
 * PAGEALLOC_BOOT_LIMIT. Boot CPU, once, before other CPUs start. */
void pagealloc_init(void);

/* Called by vm_init once the identity map covers all RAM: the RAM at and
 * above PAGEALLOC_BOOT_LIMIT joins the allocator. */
void pagealloc_add_high_memory(void);

/* npages physically contiguous pages, PAGE_SIZE aligned, contents
 * undefined (page_alloc) or zero (page_alloc_zeroed); 0 when no free run
 * that long exists. Any context with interrupts on or off. */
uint64_t page_alloc(size_t npages);
uint64_t page_alloc_zeroed(size_t npages);

/* Returns a run that page_alloc handed out. Freeing a page that is free,
 * or that the allocator does not own, is a fatal error. */
void page_free(uint64_t pa, size_t npages);

struct pagealloc_stats {
	uint64_t total_pages; /* pages the allocator owns */
	uint64_t free_pages;  /* of which free now (per-CPU caches included) */
	uint64_t allocs;      /* page_alloc calls that succeeded */
	uint64_t frees;       /* page_free calls */
};

void pagealloc_stats(struct pagealloc_stats *s);

#endif
