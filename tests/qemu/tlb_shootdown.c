/*
 * A page mapped (vm_map) and read on every CPU, then unmapped (vm_unmap,
 * which shoots it down): afterwards every CPU faults on the old address
 * (without the shootdown, the other CPUs would still reach the page
 * through their stale TLB entries).
 *
 * cmdline: -- 1
 * variant: smp2 --smp 2 --cmdline "-- 2"
 * variant: smp4 --smp 4 --cmdline "-- 4"
 * x86_64.variant: microvm4 --machine microvm --smp 4 --cmdline "-- 4"
 * aarch64.variant: gicv3 --machine virt,gic-version=3 --smp 4 --cmdline "-- 4"
 * aarch64.variant: el2gicv3 --machine virt,virtualization=on,gic-version=3 --smp 4 --cmdline "-- 4"
 * expect-line: every CPU reads the mapped page
 * expect-line: every CPU faults on the old address
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

#define MAGIC 0x676f72746c6221ULL

static uintptr_t test_va;

struct probe_result {
	bool ok;
	uint64_t value;
};

static void probe_on_cpu(void *arg)
{
	struct probe_result *r = arg;
	r->ok = probe_read(test_va, &r->value);
}

/* Probes test_va on every CPU; returns how many read want (or, with
 * want == 0, how many faulted). */
static int probe_all(int n, uint64_t want)
{
	int count = 0;
	for (int i = 0; i < n; i++) {
		struct probe_result r = {0};
		smp_call(&cpus[i], probe_on_cpu, &r);
		printf("cpu %d: %s\n", i, r.ok ? "read" : "faulted");
		if (want != 0 ? r.ok && r.value == want : !r.ok)
			count++;
	}
	return count;
}

int main(int argc, char **argv)
{
	int n = runtime_NumCPU(), want = argc > 1 ? atoi(argv[1]) : 1;
	if (n != want) {
		printf("FAIL: %d CPUs online, %d expected\n", n, want);
		return 1;
	}
	test_va = vm_reserve(VM_REGION_MISC, PAGE_SIZE, PAGE_SIZE);
	if (test_va == 0 || !vm_map(test_va, PAGE_SIZE, VM_READ | VM_WRITE)) {
		printf("FAIL: cannot map the test page\n");
		return 1;
	}
	*(volatile uint64_t *)test_va = MAGIC;
	if (probe_all(n, MAGIC) != n) {
		printf("FAIL: not every CPU reads the page\n");
		return 1;
	}
	printf("every CPU reads the mapped page\n");

	vm_unmap(test_va, PAGE_SIZE);
	if (probe_all(n, 0) != n) {
		printf("FAIL: a CPU still reaches the unmapped page\n");
		return 1;
	}
	vm_release(test_va, PAGE_SIZE);
	printf("every CPU faults on the old address\n");
	return 0;
}
