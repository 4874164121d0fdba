/*
 * Freeing a page the page allocator does not own is a fatal error naming
 * the page: a page of the image, a page in the first MiB, an address that
 * is not page aligned, a run reaching past the end of the RAM it came
 * from (its last page, found by taking every page, and the next).
 *
 * cmdline: -- image
 * variant: low --cmdline "-- low"
 * variant: unaligned --cmdline "-- unaligned"
 * variant: past --cmdline "-- past"
 * expect-contains: fatal error: runtime: free of page 0x
 * expect-contains: not owned by the page allocator
 * expect-contains: page_free at
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/pagealloc.h"

#define LOW_PAGE 0x1000

static uint64_t in_image[PAGE_SIZE / sizeof(uint64_t)] __attribute__((aligned(PAGE_SIZE)));

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "image";
	uint64_t pa = (uintptr_t)in_image, n = 1;
	if (strcmp(how, "low") == 0) {
		pa = LOW_PAGE;
	} else if (strcmp(how, "unaligned") == 0) {
		pa = page_alloc(1) + sizeof(uint64_t);
	} else if (strcmp(how, "past") == 0) {
		pa = 0;
		for (uint64_t p; (p = page_alloc(1)) != 0;)
			pa = p > pa ? p : pa;
		n = 2;
	}
	printf("freeing %llu pages at 0x%llx\n", (unsigned long long)n, (unsigned long long)pa);
	page_free(pa, n);
	printf("survived\n");
	return 0;
}
