/*
 * The physical page allocator on a machine with 128 MiB: its counters
 * start plausible (it owns about all RAM but the image), single pages can
 * be taken until none is left and all come back, runs of 1 MiB and 16 MiB
 * and odd lengths are contiguous RAM that holds what is written to it,
 * zeroed pages are zero, and every other CPU can run memory dry at the same
 * time without two of them ever getting one page. After each part the
 * counters are back exactly where they were. The cost of page_alloc and
 * page_free is printed, never checked.
 *
 * mem: 128M
 * smp: 2
 * variant: smp4 --smp 4
 * expect-line: counters plausible
 * expect-line: single pages exhausted and returned
 * expect-line: runs of 1 MiB, 16 MiB and odd lengths
 * expect-line: zeroed pages are zero
 * expect-line: every other CPU ran memory dry at once
 * expect-contains: page_alloc(1)+page_free:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/memmap.h"
#include "kernel/pagealloc.h"
#include "kernel/smp.h"

#define MIB        (1ULL << 20)
#define PAGE_WORDS (PAGE_SIZE / sizeof(uint64_t))
#define MAGIC      0x676f72742d706167ULL
/* Pages the allocator may not own beyond the image: the first MiB,
 * firmware tables, OpenSBI, the device tree, its own bitmaps. */
#define SLACK_BYTES      (8 * MIB)
#define RUN_1M_PAGES     (MIB / PAGE_SIZE)
#define RUN_16M_PAGES    (16 * MIB / PAGE_SIZE)
#define RUN_EVERY        16 /* the CPUs take a run every RUN_EVERY allocations */
#define TIMING_OPS       100000
#define TIMING_BATCH     1000
#define TIMING_RUN_PAGES 8

static int failures;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("FAIL: " __VA_ARGS__);                                                      \
		printf("\n");                                                                      \
		failures++;                                                                        \
	} while (0)

static uint64_t *words(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

/* Whether [pa, pa + npages pages) lies in RAM, above the first MiB, clear
 * of the image and of every reservation. */
static bool run_allowed(uint64_t pa, uint64_t npages)
{
	uint64_t end = pa + npages * PAGE_SIZE;
	int n;
	const struct memmap_region *r = memmap_regions(&n);
	bool in_ram = false;
	for (int i = 0; i < n; i++) {
		bool overlaps = r[i].base < end && pa < r[i].base + r[i].size;
		if (r[i].type != MEMMAP_RAM && overlaps)
			return false;
		if (r[i].type == MEMMAP_RAM && r[i].base <= pa && end <= r[i].base + r[i].size)
			in_ram = true;
	}
	return in_ram && pa >= MIB && pa % PAGE_SIZE == 0;
}

static struct pagealloc_stats stats(void)
{
	struct pagealloc_stats s;
	pagealloc_stats(&s);
	return s;
}

/* Checks that the counters are back at base after allocs successful
 * allocations and as many frees. */
static void check_back(const char *what, struct pagealloc_stats base, uint64_t allocs)
{
	struct pagealloc_stats s = stats();
	if (s.total_pages != base.total_pages || s.free_pages != base.free_pages)
		FAIL("%s: %llu of %llu pages free, %llu of %llu before", what,
		     (unsigned long long)s.free_pages, (unsigned long long)s.total_pages,
		     (unsigned long long)base.free_pages, (unsigned long long)base.total_pages);
	if (s.allocs - base.allocs != allocs || s.frees - base.frees != allocs)
		FAIL("%s: %llu allocations and %llu frees counted, %llu each made", what,
		     (unsigned long long)(s.allocs - base.allocs),
		     (unsigned long long)(s.frees - base.frees), (unsigned long long)allocs);
}

static void check_initial(void)
{
	struct pagealloc_stats s = stats();
	int n;
	const struct memmap_region *r = memmap_regions(&n);
	uint64_t image = 0;
	for (int i = 0; i < n; i++)
		if (r[i].type == MEMMAP_IMAGE)
			image += r[i].size;
	uint64_t owned = s.total_pages * PAGE_SIZE, most = memmap_ram_bytes() - image;
	printf("RAM %llu KiB, image %llu KiB, allocator owns %llu KiB, %llu KiB free\n",
	       (unsigned long long)(memmap_ram_bytes() >> 10), (unsigned long long)(image >> 10),
	       (unsigned long long)(owned >> 10),
	       (unsigned long long)(s.free_pages * PAGE_SIZE >> 10));
	if (owned > most || owned + SLACK_BYTES < most)
		FAIL("the allocator owns %llu KiB, expected a little under %llu KiB",
		     (unsigned long long)(owned >> 10), (unsigned long long)(most >> 10));
	if (s.free_pages > s.total_pages || s.free_pages < s.total_pages / 2)
		FAIL("%llu of %llu pages free", (unsigned long long)s.free_pages,
		     (unsigned long long)s.total_pages);
	if (failures == 0)
		printf("counters plausible\n");
}

/* Takes single pages until there are none, each chained to the previous
 * one through its first word and tagged, then checks and frees them. */
static void exhaust_single_pages(void)
{
	struct pagealloc_stats base = stats();
	uint64_t head = 0, n = 0, bad = 0, pa;
	while ((pa = page_alloc(1)) != 0) {
		if (!run_allowed(pa, 1) && bad++ == 0)
			FAIL("page 0x%llx is not free RAM", (unsigned long long)pa);
		uint64_t *w = words(pa);
		w[0] = head;
		w[1] = pa ^ MAGIC;
		w[PAGE_WORDS - 1] = ~pa;
		head = pa;
		n++;
	}
	struct pagealloc_stats dry = stats();
	if (n != base.free_pages || dry.free_pages != 0)
		FAIL("%llu pages handed out of %llu free, %llu left", (unsigned long long)n,
		     (unsigned long long)base.free_pages, (unsigned long long)dry.free_pages);
	if (page_alloc(1) != 0 || page_alloc(2) != 0)
		FAIL("an allocation succeeded with nothing free");
	uint64_t seen = 0;
	while (head != 0 && seen <= n) {
		uint64_t *w = words(head), next = w[0];
		if (w[1] != (head ^ MAGIC) || w[PAGE_WORDS - 1] != ~head) {
			FAIL("page 0x%llx does not hold what was written",
			     (unsigned long long)head);
			break;
		}
		page_free(head, 1);
		head = next;
		seen++;
	}
	if (seen != n)
		FAIL("%llu pages in the chain, %llu allocated", (unsigned long long)seen,
		     (unsigned long long)n);
	check_back("single pages", base, n);
	printf("%llu single pages (%llu MiB) taken and returned\n", (unsigned long long)n,
	       (unsigned long long)(n * PAGE_SIZE / MIB));
	if (failures == 0)
		printf("single pages exhausted and returned\n");
}

/* Fills a run with a pattern of its addresses and reads it back. */
static bool run_holds_pattern(uint64_t pa, uint64_t npages)
{
	for (uint64_t i = 0; i < npages * PAGE_WORDS; i += 7)
		words(pa)[i] = (pa + i * 8) ^ MAGIC;
	for (uint64_t i = 0; i < npages * PAGE_WORDS; i += 7)
		if (words(pa)[i] != ((pa + i * 8) ^ MAGIC))
			return false;
	return true;
}

static void runs(void)
{
	struct pagealloc_stats base = stats();
	static const uint64_t lengths[] = {RUN_1M_PAGES, RUN_16M_PAGES, 3, 777, 1, 5000};
	uint64_t pa[sizeof lengths / sizeof lengths[0]], allocs = 0;
	for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		pa[i] = page_alloc(lengths[i]);
		if (pa[i] == 0 || !run_allowed(pa[i], lengths[i]))
			FAIL("a run of %llu pages: 0x%llx", (unsigned long long)lengths[i],
			     (unsigned long long)pa[i]);
		else if (!run_holds_pattern(pa[i], lengths[i]))
			FAIL("the run of %llu pages at 0x%llx does not hold what was written",
			     (unsigned long long)lengths[i], (unsigned long long)pa[i]);
		allocs += pa[i] != 0;
	}
	for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
		for (unsigned j = 0; j < i; j++)
			if (pa[i] != 0 && pa[j] != 0 && pa[i] < pa[j] + lengths[j] * PAGE_SIZE &&
			    pa[j] < pa[i] + lengths[i] * PAGE_SIZE)
				FAIL("runs at 0x%llx and 0x%llx overlap", (unsigned long long)pa[i],
				     (unsigned long long)pa[j]);
	for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++)
		if (pa[i] != 0)
			page_free(pa[i], lengths[i]);
	if (page_alloc(base.total_pages + 1) != 0)
		FAIL("a run longer than all RAM");
	check_back("runs", base, allocs);

	/* 16 MiB runs until none is left: the RAM is in a few pieces, so
	 * nearly all of it goes. */
	base = stats();
	uint64_t head = 0, k = 0, p;
	while ((p = page_alloc(RUN_16M_PAGES)) != 0) {
		words(p)[0] = head;
		head = p;
		k++;
	}
	int n;
	memmap_regions(&n);
	printf("%llu runs of 16 MiB from %llu MiB free\n", (unsigned long long)k,
	       (unsigned long long)(base.free_pages * PAGE_SIZE / MIB));
	if (k * RUN_16M_PAGES > base.free_pages ||
	    k + (uint64_t)n + 1 < base.free_pages / RUN_16M_PAGES)
		FAIL("%llu runs of 16 MiB", (unsigned long long)k);
	for (; head != 0; head = p) {
		p = words(head)[0];
		page_free(head, RUN_16M_PAGES);
	}
	check_back("16 MiB runs", base, k);
	if (failures == 0)
		printf("runs of 1 MiB, 16 MiB and odd lengths\n");
}

static bool all_zero(uint64_t pa, uint64_t npages)
{
	for (uint64_t i = 0; i < npages * PAGE_WORDS; i++)
		if (words(pa)[i] != 0)
			return false;
	return true;
}

static void zeroed(void)
{
	struct pagealloc_stats base = stats();
	static const uint64_t lengths[] = {1, 1, 64};
	for (unsigned i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		/* Dirty pages first, so the zeroed ones are likely the same. */
		uint64_t dirty = page_alloc(lengths[i]);
		memset(words(dirty), 0xa5, lengths[i] * PAGE_SIZE);
		page_free(dirty, lengths[i]);
		uint64_t pa = page_alloc_zeroed(lengths[i]);
		if (pa == 0 || !all_zero(pa, lengths[i]))
			FAIL("page_alloc_zeroed(%llu) at 0x%llx is not zero",
			     (unsigned long long)lengths[i], (unsigned long long)pa);
		page_free(pa, lengths[i]);
	}
	check_back("zeroed", base, 2 * sizeof lengths / sizeof lengths[0]);
	if (failures == 0)
		printf("zeroed pages are zero\n");
}

/* ---- every other CPU at once ------------------------------------------- */

struct cpu_result {
	uint64_t pages, allocs;
	bool ok;
};

static struct cpu_result results[MAX_CPUS];
static int workers, arrived, left;

static uint64_t tag(int id, uint64_t pa)
{
	return pa ^ (MAGIC + (uint64_t)id);
}

/* Waits until every worker has reached the barrier counted by *count. */
static void barrier(int *count)
{
	__atomic_add_fetch(count, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < workers)
		;
}

/* On each other CPU, in its IPI handler, all at the same time: take
 * pages (a run every RUN_EVERY times, single pages otherwise) until none
 * is left, tagging every page with this CPU's id; once all CPUs are dry,
 * check every tag (a page handed to two CPUs carries the other's) and
 * free everything. */
static void take_everything(void *arg)
{
	(void)arg;
	int id = this_cpu()->id;
	struct cpu_result *r = &results[id];
	uint64_t head = 0, pa;
	for (;;) {
		uint64_t len = r->allocs % RUN_EVERY == RUN_EVERY - 1 ? 2 + r->allocs % 7 : 1;
		pa = page_alloc(len);
		if (pa == 0 && len > 1)
			pa = page_alloc(len = 1);
		if (pa == 0)
			break;
		for (uint64_t i = 0; i < len; i++)
			words(pa + i * PAGE_SIZE)[1] = tag(id, pa + i * PAGE_SIZE);
		words(pa)[0] = head;
		words(pa)[2] = len;
		head = pa;
		r->pages += len;
		r->allocs++;
	}
	barrier(&arrived);
	r->ok = true;
	while (head != 0) {
		uint64_t next = words(head)[0], len = words(head)[2];
		for (uint64_t i = 0; i < len; i++)
			if (words(head + i * PAGE_SIZE)[1] != tag(id, head + i * PAGE_SIZE))
				r->ok = false;
		page_free(head, len);
		head = next;
	}
	barrier(&left);
}

static void all_cpus(void)
{
	/* main is a goroutine: wire it to its CPU, the one that stays out. */
	runtime_LockOSThread();
	unsigned long flags = arch_irq_save();
	int me = this_cpu()->id;
	arch_irq_restore(flags);
	workers = runtime_NumCPU() - 1;
	struct pagealloc_stats base = stats();
	smp_call_others(take_everything, NULL);
	uint64_t pages = 0, allocs = 0;
	for (int i = 0; i <= workers; i++) {
		if (i == me)
			continue;
		printf("cpu %d took %llu pages in %llu allocations\n", i,
		       (unsigned long long)results[i].pages, (unsigned long long)results[i].allocs);
		if (!results[i].ok)
			FAIL("cpu %d found a page it took overwritten", i);
		pages += results[i].pages;
		allocs += results[i].allocs;
	}
	if (workers > 0 && pages != base.free_pages)
		FAIL("the CPUs took %llu pages of %llu free", (unsigned long long)pages,
		     (unsigned long long)base.free_pages);
	check_back("all CPUs", base, allocs);
	if (failures == 0)
		printf("every other CPU ran memory dry at once\n");
}

/* ---- cost ----------------------------------------------------------------- */

static uint64_t batch[TIMING_BATCH];

static void timing(void)
{
	uint64_t t0 = nanotime();
	for (int i = 0; i < TIMING_OPS; i++)
		page_free(page_alloc(1), 1);
	uint64_t t1 = nanotime(), alloc_ns = 0, free_ns = 0;
	for (int r = 0; r < TIMING_OPS / TIMING_BATCH; r++) {
		uint64_t a = nanotime();
		for (int i = 0; i < TIMING_BATCH; i++)
			batch[i] = page_alloc(1);
		uint64_t b = nanotime();
		for (int i = 0; i < TIMING_BATCH; i++)
			page_free(batch[i], 1);
		alloc_ns += b - a;
		free_ns += nanotime() - b;
	}
	uint64_t t2 = nanotime();
	for (int i = 0; i < TIMING_OPS; i++)
		page_free(page_alloc(TIMING_RUN_PAGES), TIMING_RUN_PAGES);
	uint64_t t3 = nanotime();
	printf("page_alloc(1)+page_free: %llu ns per pair on one page; %d at a time: "
	       "page_alloc(1) %llu ns, page_free %llu ns\n",
	       (unsigned long long)((t1 - t0) / TIMING_OPS), TIMING_BATCH,
	       (unsigned long long)(alloc_ns / TIMING_OPS),
	       (unsigned long long)(free_ns / TIMING_OPS));
	printf("page_alloc(%d)+page_free: %llu ns per pair\n", TIMING_RUN_PAGES,
	       (unsigned long long)((t3 - t2) / TIMING_OPS));
}

int main(void)
{
	check_initial();
	exhaust_single_pages();
	runs();
	zeroed();
	all_cpus();
	timing();
	return failures != 0;
}
