/*
 * The address space: a 1 TiB reservation costs no memory; pages mapped
 * anywhere in it read as zeros and keep what is written; unmapped pages
 * fault on every CPU and give back their memory and page tables;
 * read-only pages fault on a write; released address space is reused;
 * and mapping more than the machine has fails cleanly, with nothing left
 * mapped. The CPU count QEMU was given is argv[1].
 *
 * mem: 128M
 * cmdline: -- 1
 * variant: smp2 --smp 2 --cmdline "-- 2"
 * variant: smp4 --smp 4 --cmdline "-- 4"
 * x86_64.variant: microvm4 --machine microvm --smp 4 --cmdline "-- 4"
 * aarch64.variant: gicv3 --machine virt,gic-version=3 --smp 4 --cmdline "-- 4"
 * expect-line: a 1 TiB reservation costs nothing
 * expect-line: mapped pages read as zeros and keep what is written
 * expect-line: every CPU faults on the unmapped pages
 * expect-line: unmapping gave back every page and page table
 * expect-line: a read-only page faults on a write
 * expect-line: released address space is reused
 * expect-line: mapping more than memory fails with nothing mapped
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

#define GIB              (1ULL << 30)
#define HUGE_RESERVATION VM_TIB
#define NPROBES          6
#define WORDS_PER_PAGE   (PAGE_SIZE / sizeof(uint64_t))
#define PATTERN          0x9e3779b97f4a7c15ULL
#define SLACK_PAGES      2 /* reservation records may take a page */

/* Offsets into the big reservation: both ends, and far apart in between,
 * so that each needs page tables of its own. */
static const uint64_t offsets[NPROBES] = {
    0, PAGE_SIZE, GIB, 300 * GIB + 5 * PAGE_SIZE, 512 * GIB, HUGE_RESERVATION - PAGE_SIZE,
};

static int failures;

static void fail(const char *what)
{
	printf("FAIL: %s\n", what);
	failures++;
}

static uint64_t free_pages(void)
{
	struct pagealloc_stats s;
	pagealloc_stats(&s);
	return s.free_pages;
}

static uintptr_t base;

struct probe_job {
	int faulted; /* of the NPROBES pages */
};

static void probe_pages(void *arg)
{
	struct probe_job *j = arg;
	for (int i = 0; i < NPROBES; i++) {
		uint64_t v;
		if (!probe_read(base + offsets[i], &v))
			j->faulted++;
	}
}

static void read_pages(void *arg)
{
	int *sum = arg;
	for (int i = 0; i < NPROBES; i++)
		*sum += (int)*(volatile uint64_t *)(base + offsets[i]);
}

int main(int argc, char **argv)
{
	int n = runtime_NumCPU(), want = argc > 1 ? atoi(argv[1]) : 1;
	if (n != want) {
		printf("FAIL: %d CPUs online, %d expected\n", n, want);
		return 1;
	}

	uint64_t pt0 = vm_pagetable_bytes(), free0 = free_pages();
	base = vm_reserve(VM_REGION_HEAP, HUGE_RESERVATION, GIB);
	uint64_t pt1 = vm_pagetable_bytes(), free1 = free_pages();
	printf("reserving 1 TiB: page tables %llu -> %llu bytes, free pages %llu -> %llu\n",
	       (unsigned long long)pt0, (unsigned long long)pt1, (unsigned long long)free0,
	       (unsigned long long)free1);
	if (base == 0 || base % GIB != 0 || base < 32 * VM_TIB || base >= 64 * VM_TIB)
		fail("the reservation is not a GiB-aligned range of the heap region");
	else if (pt1 - pt0 > SLACK_PAGES * PAGE_SIZE || free0 - free1 > SLACK_PAGES)
		fail("the reservation cost memory");
	else if (vm_mapped(base, NULL) || vm_mapped(base + HUGE_RESERVATION - PAGE_SIZE, NULL))
		fail("a reserved page is mapped");
	else
		printf("a 1 TiB reservation costs nothing\n");

	/* Map one page at each offset: zeros, then a pattern that reads back. */
	for (int i = 0; i < NPROBES; i++) {
		uintptr_t va = base + offsets[i];
		unsigned prot = 0;
		if (!vm_map(va, PAGE_SIZE, VM_READ | VM_WRITE) || !vm_mapped(va, &prot) ||
		    !(prot & VM_WRITE))
			fail("vm_map");
		uint64_t *w = (uint64_t *)va;
		for (size_t k = 0; k < WORDS_PER_PAGE; k++) {
			if (w[k] != 0) {
				fail("a fresh page is not zeroed");
				break;
			}
			w[k] = PATTERN * (k + i);
		}
	}
	int bad = 0;
	for (int i = 0; i < NPROBES; i++)
		for (size_t k = 0; k < WORDS_PER_PAGE; k++)
			bad += ((uint64_t *)(base + offsets[i]))[k] != PATTERN * (k + i);
	printf("page tables for %d scattered pages: %llu bytes\n", NPROBES,
	       (unsigned long long)(vm_pagetable_bytes() - pt1));
	if (bad)
		fail("a mapped page lost what was written");
	else
		printf("mapped pages read as zeros and keep what is written\n");

	/* Every CPU reads them (and caches the translations), then they go. */
	for (int c = 0; c < n; c++) {
		int sum = 0;
		smp_call(&cpus[c], read_pages, &sum);
	}
	for (int i = 0; i < NPROBES; i++)
		vm_unmap(base + offsets[i], PAGE_SIZE);
	int faulted = 0;
	for (int c = 0; c < n; c++) {
		struct probe_job j = {0};
		smp_call(&cpus[c], probe_pages, &j);
		printf("cpu %d: %d of %d unmapped pages faulted\n", c, j.faulted, NPROBES);
		faulted += j.faulted;
	}
	if (faulted != n * NPROBES)
		fail("a CPU still reaches an unmapped page");
	else
		printf("every CPU faults on the unmapped pages\n");
	if (vm_pagetable_bytes() != pt1 || free_pages() != free1)
		fail("unmapping leaked pages or page tables");
	else
		printf("unmapping gave back every page and page table\n");

	/* Read-only: reads work, writes fault, and write access comes back. */
	uintptr_t page = base + 7 * GIB;
	unsigned prot = 0;
	uint64_t v = 0;
	if (!vm_map(page, PAGE_SIZE, VM_READ | VM_WRITE) || !probe_write(page, PATTERN))
		fail("mapping the page to protect");
	vm_protect(page, PAGE_SIZE, VM_READ);
	if (!vm_mapped(page, &prot) || (prot & VM_WRITE))
		fail("vm_mapped after vm_protect(VM_READ)");
	else if (!probe_read(page, &v) || v != PATTERN)
		fail("a read-only page cannot be read");
	else if (probe_write(page, 1))
		fail("a write to a read-only page did not fault");
	else if (vm_protect(page, PAGE_SIZE, VM_READ | VM_WRITE), !probe_write(page, 2))
		fail("a page made writable again faults on a write");
	else
		printf("a read-only page faults on a write\n");
	vm_unmap(page, PAGE_SIZE);
	vm_release(base, HUGE_RESERVATION);

	/* Released space is handed out again (first fit). */
	uintptr_t a = vm_reserve(VM_REGION_MISC, 3 * PAGE_SIZE, PAGE_SIZE);
	uintptr_t b = vm_reserve(VM_REGION_MISC, PAGE_SIZE, PAGE_SIZE);
	vm_release(a, 3 * PAGE_SIZE);
	uintptr_t c = vm_reserve(VM_REGION_MISC, 2 * PAGE_SIZE, PAGE_SIZE);
	uintptr_t d = vm_reserve(VM_REGION_HEAP, HUGE_RESERVATION, GIB);
	if (a == 0 || b == 0 || c != a || d != base)
		fail("released address space is not reused");
	else
		printf("released address space is reused\n");
	vm_release(c, 2 * PAGE_SIZE);
	vm_release(b, PAGE_SIZE);
	vm_release(d, HUGE_RESERVATION);

	/* More than the machine has: vm_map fails and leaves nothing behind. */
	size_t too_much = (size_t)(free_pages() + 1) * PAGE_SIZE;
	uintptr_t big = vm_reserve(VM_REGION_HEAP, too_much, PAGE_SIZE);
	uint64_t pt2 = vm_pagetable_bytes(), free2 = free_pages();
	if (big == 0 || vm_map(big, too_much, VM_READ | VM_WRITE))
		fail("mapping more than memory did not fail");
	else if (vm_mapped(big, NULL) || vm_pagetable_bytes() != pt2 || free_pages() != free2)
		fail("a failed vm_map left pages mapped");
	else
		printf("mapping more than memory fails with nothing mapped\n");
	vm_release(big, too_much);
	return failures != 0;
}
