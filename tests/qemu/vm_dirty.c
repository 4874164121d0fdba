/*
 * Write tracking, the collector's write barrier: after vm_track_writes,
 * vm_written_pages reports exactly the pages written since (by any CPU),
 * re-arms them, and reports nothing more until the next writes; reads do
 * not count. argv[1] is the CPU count, argv[2] the mechanism expected:
 * "hardware" (dirty bits) or "faults" (write protection; aarch64's
 * cortex-a72 has no hardware dirty state). Also prints what reading the
 * state of a 64 MiB range costs (not checked).
 *
 * cmdline: -- 1 hardware
 * variant: smp4 --smp 4 --cmdline "-- 4 hardware"
 * aarch64.variant: a72 --cpu cortex-a72 --cmdline "-- 1 faults"
 * aarch64.variant: a72smp4 --cpu cortex-a72 --smp 4 --cmdline "-- 4 faults"
 * expect-line: tracking starts clean
 * expect-line: written pages are reported exactly
 * expect-line: re-armed pages report nothing
 * expect-line: reads are not writes
 * expect-line: pages written again are reported again
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/pagealloc.h"
#include "kernel/smp.h"
#include "kernel/vm.h"

#define RANGE_BYTES    (64ULL << 20)
#define RANGE_PAGES    (RANGE_BYTES / PAGE_SIZE)
#define BITMAP_WORDS   (RANGE_PAGES / BITS_PER_WORD)
#define STRIDE         7  /* the first round writes every 7th page ... */
#define STRIDE2        61 /* ... the second every 61st */
#define COST_ROUNDS    5
#define COST_STRIDE    64 /* the cost is also taken with every 64th page written */
#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(uint64_t))
#define BITS_PER_WORD  64
#define NS_PER_US      1000

static uintptr_t base;
static uint64_t got[BITMAP_WORDS], want[BITMAP_WORDS];
static int ncpus, failures;

static void fail(const char *what)
{
	printf("FAIL: %s\n", what);
	failures++;
}

struct write_job {
	int cpu;    /* this CPU writes the pages i with i / stride % ncpus == cpu */
	int stride; /* pages i with i % stride == 0; 0: read every page instead */
};

static void touch(void *arg)
{
	const struct write_job *j = arg;
	for (uint64_t i = 0; i < RANGE_PAGES; i++) {
		volatile uint64_t *w = (volatile uint64_t *)(base + i * PAGE_SIZE);
		if (j->stride == 0) {
			if (i % ncpus == (uint64_t)j->cpu)
				(void)w[i % WORDS_PER_PAGE];
		} else if (i % j->stride == 0 && i / j->stride % ncpus == (uint64_t)j->cpu) {
			w[i % WORDS_PER_PAGE] = i;
		}
	}
}

/* Runs touch on every CPU, each with its share of the pages. */
static void touch_all(int stride)
{
	for (int c = 0; c < ncpus; c++) {
		struct write_job j = {c, stride};
		smp_call(&cpus[c], touch, &j);
	}
}

static void expect(int stride)
{
	memset(want, 0, sizeof want);
	for (uint64_t i = 0; stride != 0 && i < RANGE_PAGES; i += stride)
		want[i / BITS_PER_WORD] |= 1ULL << (i % BITS_PER_WORD);
}

/* vm_written_pages over the range against the expected bitmap. */
static bool report_matches(int stride, const char *what)
{
	expect(stride);
	memset(got, 0, sizeof got);
	size_t n = vm_written_pages(base, RANGE_BYTES, got);
	size_t expected = stride != 0 ? (RANGE_PAGES + stride - 1) / stride : 0;
	if (n != expected || memcmp(got, want, sizeof got) != 0) {
		printf("FAIL: %s: %zu pages reported, %zu expected\n", what, n, expected);
		failures++;
		return false;
	}
	return true;
}

/* Nanoseconds one vm_written_pages over the range takes, the best of a
 * few, with dirty pages i % stride == 0 written before each (stride 0:
 * none). */
static uint64_t cost(int stride)
{
	uint64_t best = UINT64_MAX;
	for (int r = 0; r < COST_ROUNDS; r++) {
		for (uint64_t i = 0; stride != 0 && i < RANGE_PAGES; i += stride)
			*(volatile uint64_t *)(base + i * PAGE_SIZE) = r;
		memset(got, 0, sizeof got);
		uint64_t t0 = nanotime();
		vm_written_pages(base, RANGE_BYTES, got);
		uint64_t t = nanotime() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	ncpus = runtime_NumCPU();
	int want_cpus = argc > 1 ? atoi(argv[1]) : 1;
	bool want_hw = argc <= 2 || strcmp(argv[2], "faults") != 0;
	if (ncpus != want_cpus) {
		printf("FAIL: %d CPUs online, %d expected\n", ncpus, want_cpus);
		return 1;
	}
	printf("write tracking: %s\n",
	       vm_hardware_dirty_bits() ? "hardware dirty bits" : "write-protection faults");
	if (vm_hardware_dirty_bits() != want_hw)
		fail("not the write-tracking mechanism this machine should use");

	base = vm_reserve(VM_REGION_HEAP, RANGE_BYTES, PAGE_SIZE);
	if (base == 0 || !vm_map(base, RANGE_BYTES, VM_READ | VM_WRITE)) {
		printf("FAIL: cannot map %llu MiB\n", RANGE_BYTES >> 20);
		return 1;
	}
	memset(got, 0, sizeof got);
	if (vm_written_pages(base, RANGE_BYTES, got) != RANGE_PAGES)
		fail("freshly mapped pages do not count as written");
	vm_track_writes(base, RANGE_BYTES);
	if (report_matches(0, "right after vm_track_writes"))
		printf("tracking starts clean\n");

	touch_all(STRIDE);
	if (report_matches(STRIDE, "after writes from every CPU"))
		printf("written pages are reported exactly\n");
	if (report_matches(0, "after the report"))
		printf("re-armed pages report nothing\n");
	touch_all(0);
	if (report_matches(0, "after reads from every CPU"))
		printf("reads are not writes\n");
	touch_all(STRIDE2);
	if (report_matches(STRIDE2, "after more writes"))
		printf("pages written again are reported again\n");

	printf("vm_written_pages over 64 MiB: %llu us with none written, %llu us with every "
	       "%dth page written\n",
	       (unsigned long long)cost(0) / NS_PER_US,
	       (unsigned long long)cost(COST_STRIDE) / NS_PER_US, COST_STRIDE);

	vm_unmap(base, RANGE_BYTES);
	vm_release(base, RANGE_BYTES);
	return failures != 0;
}
