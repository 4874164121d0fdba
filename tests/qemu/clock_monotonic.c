/*
 * nanotime never goes backwards, on one CPU or across CPUs: 1e6 readings
 * spread over every CPU, each compared with the latest value any CPU had
 * published before it read.
 *
 * cmdline: -- 1
 * variant: smp2 --smp 2 --cmdline "-- 2"
 * variant: smp4 --smp 4 --cmdline "-- 4"
 * expect-line: nanotime never went backwards
 * expect-not-contains: FAIL
 * timeout: 120
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "kernel/smp.h"

#define TOTAL_READS 1000000

static uint64_t latest;    /* the largest reading published so far */
static uint64_t backwards; /* readings below an earlier published one */
static int reads_per_cpu;

static void read_clock(void *arg)
{
	(void)arg;
	for (int i = 0; i < reads_per_cpu; i++) {
		uint64_t seen = __atomic_load_n(&latest, __ATOMIC_ACQUIRE);
		uint64_t now = nanotime();
		if (now < seen)
			__atomic_fetch_add(&backwards, 1, __ATOMIC_RELAXED);
		while (seen < now &&
		       !__atomic_compare_exchange_n(&latest, &seen, now, true, __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE))
			;
	}
}

int main(int argc, char **argv)
{
	int n = runtime_NumCPU(), want = argc > 1 ? atoi(argv[1]) : 1;
	if (n != want) {
		printf("FAIL: %d CPUs online, %d expected\n", n, want);
		return 1;
	}
	reads_per_cpu = TOTAL_READS / n;
	smp_call_others(read_clock, NULL);
	read_clock(NULL);
	printf("%d readings on %d CPUs, %llu backwards\n", reads_per_cpu * n, n,
	       (unsigned long long)backwards);
	if (backwards != 0) {
		printf("FAIL: nanotime went backwards\n");
		return 1;
	}
	printf("nanotime never went backwards\n");
	return 0;
}
