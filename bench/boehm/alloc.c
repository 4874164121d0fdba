/*
 * alloc: the Boehm-collector side of the "alloc" benchmark workload, the twin of
 * bench/alloc.c and bench/go/alloc/main.go.
 *
 * C on the Boehm-Demers-Weiser conservative collector (Debian's libgc, linked statically)
 * is the other way a C program gets garbage collection today, so gort-bench boots this
 * program as /init of the same minimal Linux guest the Go program runs in. It allocates
 * 10M 32-byte objects with two pointer fields (GC_MALLOC: scanned for pointers, like Go's
 * &node{} and gort_new), each stored into a global sink, and prints the mean cost of one
 * allocation in nanoseconds after the mark text gort-bench looks for. The figure includes
 * the collections the loop triggers.
 *
 * Then it powers the machine off. Should that fail, main returns, the kernel panics
 * because init exited, and the guest's panic=-1 with QEMU's -no-reboot ends QEMU.
 */
#include <gc.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

enum {
	ALLOCS = 10000000, /* allocations timed */
};

static const int64_t ns_per_s = 1000000000;

/* Two pointers and two words of data: 32 bytes, as in the gort and Go programs. */
struct node {
	struct node *left, *right;
	uint64_t a, b;
};

_Static_assert(sizeof(struct node) == 32, "struct node is 32 bytes");

/* Every object is stored here, so none can be optimised away; it is a root of the heap. */
struct node *volatile sink;

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * ns_per_s + ts.tv_nsec;
}

int main(void)
{
	int64_t start, elapsed;

	GC_INIT();
	start = monotonic_ns();
	for (int i = 0; i < ALLOCS; i++)
		sink = GC_MALLOC(sizeof(struct node));
	elapsed = monotonic_ns() - start;
	printf("gort-bench: alloc-ns %.1f\n", (double)elapsed / ALLOCS);
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
