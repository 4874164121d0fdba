/*
 * The address space under contention: every CPU but the boot CPU at once,
 * from interrupt context (an IPI, so with interrupts off), reserves small
 * neighbouring ranges that share page tables, maps them, checks they are
 * zero and private, tracks writes, write-protects, unmaps and releases
 * them, over and over. Each CPU's shootdowns reach the others while they
 * wait for the address-space lock. Nothing may deadlock, every check must
 * hold, and at the end every page and page table is back. The CPU count
 * QEMU was given is argv[1].
 *
 * Three CPUs give two contending workers. With four on a two-core host,
 * every lock hand-off and shootdown waits for the host's scheduler, and
 * the test took a minute under load instead of a second.
 *
 * cmdline: -- 1
 * variant: smp3 --smp 3 --cmdline "-- 3"
 * aarch64.variant: a72smp3 --cpu cortex-a72 --smp 3 --cmdline "-- 3"
 * expect-line: every round on every CPU checked out
 * expect-line: every page and page table is back
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/cpu.h"
#include "kernel/pagealloc.h"
#include "kernel/probe.h"
#include "kernel/smp.h"
#include "kernel/vm.h"

#define ROUNDS         40
#define MAX_PAGES      8
#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(uint64_t))
#define RECORD_SLACK   (2 * PAGE_SIZE) /* the reservation records' pool may grow */

static int errors, rounds_done;

static void error(const char *what)
{
	if (__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED) < 10)
		printf("FAIL: cpu %d: %s\n", this_cpu()->id, what);
}

/* One round: a range of npages, filled with this CPU's tag and checked. */
static void round_trip(size_t npages, uint64_t tag)
{
	size_t bytes = npages * PAGE_SIZE;
	uintptr_t va = vm_reserve(VM_REGION_MISC, bytes, PAGE_SIZE);
	if (va == 0 || !vm_map(va, bytes, VM_READ | VM_WRITE)) {
		error("reserve or map failed");
		return;
	}
	vm_track_writes(va, bytes);
	uint64_t *w = (uint64_t *)va;
	for (size_t k = 0; k < npages * WORDS_PER_PAGE; k++) {
		if (w[k] != 0)
			error("a fresh page is not zero");
		w[k] = tag + k;
	}
	uint64_t bitmap[1] = {0};
	if (vm_written_pages(va, bytes, bitmap) != npages || bitmap[0] != (1ULL << npages) - 1)
		error("written pages not reported");
	vm_protect(va, bytes, VM_READ);
	if (probe_write(va + bytes - PAGE_SIZE, tag))
		error("a read-only page took a write");
	for (size_t k = 0; k < npages * WORDS_PER_PAGE; k++)
		if (w[k] != tag + k)
			error("a page lost what was written (shared with another CPU?)");
	vm_unmap(va, bytes);
	uint64_t v;
	if (probe_read(va, &v))
		error("an unmapped page is still readable");
	vm_release(va, bytes);
}

static void worker(void *arg)
{
	(void)arg;
	int id = this_cpu()->id;
	uint64_t seed = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
	for (int r = 0; r < ROUNDS; r++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		round_trip(1 + (seed >> 33) % MAX_PAGES, (uint64_t)id << 48 | (uint64_t)r << 32);
	}
	__atomic_fetch_add(&rounds_done, ROUNDS, __ATOMIC_RELAXED);
}

int main(int argc, char **argv)
{
	int n = runtime_NumCPU(), want = argc > 1 ? atoi(argv[1]) : 1;
	if (n != want) {
		printf("FAIL: %d CPUs online, %d expected\n", n, want);
		return 1;
	}
	struct pagealloc_stats before, after;
	pagealloc_stats(&before);
	uint64_t pt_before = vm_pagetable_bytes();
	if (n == 1)
		worker(NULL); /* no other CPU: at least the single-CPU paths */
	else
		smp_call_others(worker, NULL);
	int expected = (n == 1 ? 1 : n - 1) * ROUNDS;
	printf("%d rounds, %d errors\n", rounds_done, errors);
	if (errors == 0 && rounds_done == expected)
		printf("every round on every CPU checked out\n");
	pagealloc_stats(&after);
	uint64_t pt_after = vm_pagetable_bytes();
	uint64_t freed = after.free_pages + (pt_after - pt_before) / PAGE_SIZE;
	if (freed != before.free_pages || pt_after - pt_before > RECORD_SLACK)
		printf("FAIL: %lld pages not back (page tables %llu -> %llu bytes)\n",
		       (long long)(before.free_pages - freed), (unsigned long long)pt_before,
		       (unsigned long long)pt_after);
	else
		printf("every page and page table is back\n");
	return errors != 0;
}
