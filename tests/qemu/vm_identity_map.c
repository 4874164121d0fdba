/*
 * vm_init extends the boot identity map to all RAM: every page the memory
 * map calls RAM (sampled every 2 MiB, plus the first and last page of each
 * region; firmware's reservations, which it may protect, left out) reads
 * through its physical address, while page 0 stays
 * unmapped so that nil dereferences fault; and the page allocator then
 * owns all of it, beyond the boot map too (less the firmware's, the
 * image's and its own few MiB). The x86_64 variants give the
 * machine RAM above 4 GiB (beyond the boot map) whose end is not 2 MiB
 * aligned, so the extension needs blocks, tables and single pages: with
 * 1 GiB pages (-cpu max) and without them (qemu64).
 *
 * x86_64.variant: high --mem 5001M
 * x86_64.variant: high2m --mem 5001M --cpu qemu64
 * expect-line: all RAM is identity-mapped
 * expect-line: page 0 is not mapped
 * expect-line: the page allocator owns all RAM
 * expect-not-contains: FAIL
 */
#include <stdbool.h>
#include <stdio.h>

#include "kernel/memmap.h"
#include "kernel/pagealloc.h"
#include "kernel/probe.h"

#define SAMPLE_STRIDE (2ULL << 20)
#define NOT_OWNED_MAX (64ULL << 20) /* firmware, image, first MiB, bitmaps */

static int unreadable;
static const struct memmap_region *regions;
static int nregions;

static bool reserved(uint64_t pa)
{
	for (int i = 0; i < nregions; i++)
		if (regions[i].type == MEMMAP_RESERVED && pa >= regions[i].base &&
		    pa - regions[i].base < regions[i].size)
			return true;
	return false;
}

static void check(uint64_t pa)
{
	uint64_t v;
	if (!reserved(pa) && !probe_read((uintptr_t)pa, &v)) {
		if (unreadable++ < 10)
			printf("FAIL: RAM at %#llx is not mapped\n", (unsigned long long)pa);
	}
}

int main(void)
{
	regions = memmap_regions(&nregions);
	const struct memmap_region *r = regions;
	int n = nregions;
	uint64_t top = 0, sampled = 0;
	for (int i = 0; i < n; i++) {
		if (r[i].type != MEMMAP_RAM)
			continue;
		uint64_t first = (r[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t end = (r[i].base + r[i].size) & ~(PAGE_SIZE - 1);
		if (first < PAGE_SIZE)
			first = PAGE_SIZE;
		for (uint64_t pa = first; pa < end; pa += SAMPLE_STRIDE, sampled++)
			check(pa);
		if (end > first)
			check(end - PAGE_SIZE);
		if (end > top)
			top = end;
	}
	printf("RAM up to %#llx, %llu pages sampled\n", (unsigned long long)top,
	       (unsigned long long)sampled);
	if (unreadable == 0)
		printf("all RAM is identity-mapped\n");
	uint64_t v;
	if (probe_read(8, &v))
		printf("FAIL: page 0 is mapped\n");
	else
		printf("page 0 is not mapped\n");
	struct pagealloc_stats st;
	pagealloc_stats(&st);
	uint64_t owned = st.total_pages * PAGE_SIZE, ram = memmap_ram_bytes();
	printf("the page allocator owns %llu of %llu MiB\n", (unsigned long long)(owned >> 20),
	       (unsigned long long)(ram >> 20));
	if (owned + NOT_OWNED_MAX < ram)
		printf("FAIL: the page allocator does not own all RAM\n");
	else
		printf("the page allocator owns all RAM\n");
	return unreadable != 0 || owned + NOT_OWNED_MAX < ram;
}
