/*
 * alloc: the gort side of the "alloc" benchmark workload.
 *
 * It allocates 10M 32-byte objects with two pointer fields (gort_new: zeroed, scanned for
 * pointers, garbage collected), each stored into a global sink, and prints the mean cost
 * of one allocation in nanoseconds after the mark text gort-bench looks for. gort-bench
 * compares that figure with the same loop in Go (bench/go/alloc/main.go, &node{}) and in C
 * on the Boehm collector (bench/boehm/alloc.c, GC_MALLOC), both running as /init of a
 * minimal Linux guest on the same QEMU machine. Until gort has a collector the loop keeps
 * every object (320 MB), which the benchmark guest's memory holds; from then on the figure
 * includes collection, as the other two do.
 */
#include <gort/runtime.h>
#include <gort/time.h>
#include <stdint.h>
#include <stdio.h>

enum {
	ALLOCS = 10000000, /* allocations timed */
};

/* Two pointers and two words of data: 32 bytes, as in the Go and Boehm programs. */
struct node {
	struct node *left, *right;
	uint64_t a, b;
};

_Static_assert(sizeof(struct node) == 32, "struct node is 32 bytes");

/* Every object is stored here, so none can be optimised away. */
struct node *volatile sink;

int main(void)
{
	time_Time start = time_Now();
	time_Duration elapsed;

	for (int i = 0; i < ALLOCS; i++)
		sink = gort_new(sizeof(struct node));
	elapsed = time_Since(start);
	printf("gort-bench: alloc-ns %.1f\n", (double)elapsed / ALLOCS);
	return 0;
}
