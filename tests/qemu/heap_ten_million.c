/*
 * Ten million 32-byte gort_new objects in a row (the allocation benchmark's
 * loop), timed with nanotime: every one counted in MemStats, and the heap
 * grows through 320 MB without a hitch. The time per allocation is printed,
 * never asserted.
 *
 * mem: 1G
 * timeout: 240
 * expect-contains: ns per gort_new(32)
 * expect-line: 10000000 objects counted
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/clock.h"

#define N 10000000

struct node {
	struct node *left, *right;
	uint64_t a, b;
};

struct node *volatile sink;

int main(void)
{
	runtime_MemStats a, b;
	runtime_ReadMemStats(&a);
	uint64_t t0 = nanotime();
	for (int i = 0; i < N; i++)
		sink = gort_new(sizeof(struct node));
	uint64_t t1 = nanotime();
	runtime_ReadMemStats(&b);
	printf("%.1f ns per gort_new(32)\n", (double)(t1 - t0) / N);
	if (b.Mallocs - a.Mallocs != N || b.HeapAlloc - a.HeapAlloc != 32ULL * N)
		printf("FAIL: %llu objects counted\n", (unsigned long long)(b.Mallocs - a.Mallocs));
	else
		printf("%d objects counted\n", N);
	return 0;
}
