/*
 * GODEBUG=efence=1: every object has its own pages and a freed one is
 * unmapped, so a use after free faults (the exception report, status 2)
 * instead of reading stale memory.
 *
 * cmdline: GODEBUG=efence=1
 * expect-line: objects on pages of their own
 * expect-line: freed; reading it again
 * x86_64.expect-contains: unexpected exception: page fault (vector 14)
 * aarch64.expect-contains: unexpected exception: data abort
 * riscv64.expect-contains: unexpected exception: load page fault (vector 13)
 * expect-order: freed; reading it again | read_after_free at | fatal error: unexpected exception
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
