/*
 * Freeing pages twice is a fatal error naming the page, whether the second
 * free finds the page in a CPU's cache (single pages), free in the arenas
 * (runs), or a run holds a page sitting in a cache.
 *
 * cmdline: -- page
 * variant: run --cmdline "-- run"
 * variant: cached --cmdline "-- cached"
 * expect-contains: fatal error: runtime: double free of page 0x
 * expect-contains: page_free at
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/pagealloc.h"

#define RUN_PAGES 4

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "page";
	if (strcmp(how, "page") == 0) {
		uint64_t pa = page_alloc(1);
		printf("freeing page 0x%llx twice\n", (unsigned long long)pa);
		page_free(pa, 1);
		page_free(pa, 1);
	} else if (strcmp(how, "run") == 0) {
		uint64_t pa = page_alloc(RUN_PAGES);
		printf("freeing page 0x%llx twice\n", (unsigned long long)(pa + PAGE_SIZE));
		page_free(pa + PAGE_SIZE, 1);
		page_free(pa, RUN_PAGES);
	} else {
		uint64_t pa = page_alloc(RUN_PAGES);
		printf("freeing page 0x%llx twice\n", (unsigned long long)(pa + 2 * PAGE_SIZE));
		page_free(pa + 2 * PAGE_SIZE, 1);
		page_free(pa, RUN_PAGES);
	}
	printf("survived\n");
	return 0;
}
