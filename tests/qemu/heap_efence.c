/*
 * GODEBUG=efence=1: every object has its own pages and a freed one is
 * unmapped, so a use after free faults (Go's "unexpected fault address"
 * fatal error, status 2) instead of reading stale memory.
 *
 * cmdline: GODEBUG=efence=1
 * expect-line: objects on pages of their own
 * expect-line: freed; reading it again
 * expect-order: freed; reading it again | unexpected fault address 0x | fatal error: fault | [signal SIGSEGV: segmentation violation code=0x1 addr=0x | read_after_free(...)
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The misuse is the point of this test. */
#pragma GCC diagnostic ignored "-Wuse-after-free"

#define HEAP_PAGE 8192

__attribute__((noinline)) static int read_after_free(volatile int *p)
{
	return *p;
}

int main(void)
{
	int *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	int *g = gort_new(sizeof *g);
	if ((uintptr_t)a % HEAP_PAGE == 0 && (uintptr_t)b % HEAP_PAGE == 0 &&
	    (uintptr_t)g % HEAP_PAGE == 0 && a != b)
		printf("objects on pages of their own\n");
	*a = 42;
	free(a);
	printf("freed; reading it again\n");
	printf("read %d\n", read_after_free(a));
	printf("survived\n");
	return 0;
}
