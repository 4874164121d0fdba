/*
 * Every CPU allocates at once: smp_call_others runs the same loop on all
 * other CPUs together (in their IPI handlers), then main's CPU runs it.
 * Each CPU allocates gort_new and malloc objects of random sizes, checks
 * they arrive zeroed and fills them with a pattern of its own; then every
 * other CPU at once frees the malloc objects of its neighbour while it
 * allocates and frees more. In the end every gort_new object is intact and
 * MemStats counts every object.
 *
 * cmdline: -- 1
 * variant: smp2 --smp 2 --cmdline "-- 2"
 * variant: smp4 --smp 4 --cmdline "-- 4"
 * x86_64.variant: microvm4 --machine microvm --smp 4 --cmdline "-- 4"
 * aarch64.variant: gicv3 --machine virt,gic-version=3 --smp 4 --cmdline "-- 4"
 * expect-line: every CPU allocated its objects
 * expect-line: every CPU freed its neighbour's objects
 * expect-line: objects intact, MemStats exact
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/smp.h"

#define MAX_TEST_CPUS 4
#define PER_CPU       5000
#define MAX_SIZE      2048

struct cpu_objects {
	unsigned char *gc[PER_CPU], *manual[PER_CPU];
	uint16_t gc_size[PER_CPU], manual_size[PER_CPU];
	unsigned errors;
};

static struct cpu_objects objs[MAX_TEST_CPUS];
static int ncpu;

static bool holds(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void alloc_loop(void *arg)
{
	(void)arg;
	int id = this_cpu()->id;
	struct cpu_objects *o = &objs[id];
	uint64_t r = 0x1234567ULL * (uint64_t)(id + 1);
	for (int i = 0; i < PER_CPU; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		o->gc_size[i] = (uint16_t)(1 + r % MAX_SIZE);
		o->manual_size[i] = (uint16_t)(1 + (r >> 20) % MAX_SIZE);
		o->gc[i] = gort_new(o->gc_size[i]);
		o->manual[i] = malloc(o->manual_size[i]);
		o->errors += !holds(o->gc[i], o->gc_size[i], 0);
		o->errors += !holds(o->manual[i], o->manual_size[i], 0);
		memset(o->gc[i], id + 1, o->gc_size[i]);
		memset(o->manual[i], id + 0x41, o->manual_size[i]);
	}
}

static void free_neighbour(void *arg)
{
	(void)arg;
	int id = this_cpu()->id, from = (id + 1) % ncpu;
	struct cpu_objects *o = &objs[id], *n = &objs[from];
	for (int i = 0; i < PER_CPU; i++) {
		o->errors += !holds(n->manual[i], n->manual_size[i], (unsigned char)(from + 0x41));
		free(n->manual[i]);
		size_t size = 1 + (size_t)i % MAX_SIZE;
		unsigned char *p = malloc(size);
		o->errors += !holds(p, size, 0);
		memset(p, 0xee, size);
		free(p);
	}
}

int main(int argc, char **argv)
{
	ncpu = runtime_NumCPU();
	int want = argc > 1 ? atoi(argv[1]) : 1;
	if (ncpu != want || ncpu > MAX_TEST_CPUS) {
		printf("FAIL: %d CPUs online, %d expected\n", ncpu, want);
		return 1;
	}
	/* main is a goroutine: wire it to its CPU, so its own two loops run
	 * as one CPU, the one smp_call_others leaves out. */
	runtime_LockOSThread();
	runtime_MemStats before, after;
	runtime_ReadMemStats(&before);
	smp_call_others(alloc_loop, NULL);
	alloc_loop(NULL);
	printf("every CPU allocated its objects\n");
	smp_call_others(free_neighbour, NULL);
	free_neighbour(NULL);
	printf("every CPU freed its neighbour's objects\n");
	runtime_ReadMemStats(&after);

	unsigned errors = 0;
	for (int c = 0; c < ncpu; c++) {
		errors += objs[c].errors;
		for (int i = 0; i < PER_CPU; i++) {
			unsigned char want = (unsigned char)(c + 1);
			errors += !holds(objs[c].gc[i], objs[c].gc_size[i], want);
		}
	}
	uint64_t n = (uint64_t)ncpu * PER_CPU;
	uint64_t mallocs = after.Mallocs - before.Mallocs, frees = after.Frees - before.Frees;
	printf("%d CPUs: %llu mallocs, %llu frees\n", ncpu, (unsigned long long)mallocs,
	       (unsigned long long)frees);
	if (errors != 0)
		printf("FAIL: %u objects not zeroed or not intact\n", errors);
	if (mallocs != 3 * n || frees != 2 * n || after.HeapObjects - before.HeapObjects != n)
		printf("FAIL: MemStats counts %llu mallocs and %llu frees, want %llu and %llu\n",
		       (unsigned long long)mallocs, (unsigned long long)frees,
		       (unsigned long long)(3 * n), (unsigned long long)(2 * n));
	else if (errors == 0)
		printf("objects intact, MemStats exact\n");
	return 0;
}
