/*
 * 64 MiB objects in a 256 MiB machine: a gort_new one and a malloc one
 * arrive zeroed and keep what is written to them; the malloc one, freed,
 * gives its pages back to the heap, so the next 64 MiB object takes them
 * (the heap does not grow) and is zeroed again.
 *
 * mem: 256M
 * expect-line: 64 MiB gort_new object zeroed and intact
 * expect-line: 64 MiB malloc object zeroed and intact
 * expect-line: freed 64 MiB reused, zeroed again
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BIG (64UL << 20)

static bool holds(const uint64_t *p, size_t bytes, uint64_t v)
{
	for (size_t i = 0; i < bytes / 8; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void fill(uint64_t *p, size_t bytes, uint64_t v)
{
	for (size_t i = 0; i < bytes / 8; i++)
		p[i] = v;
}

int main(void)
{
	uint64_t *g = gort_new(BIG);
	if (!holds(g, BIG, 0))
		printf("FAIL: gort_new object not zeroed\n");
	fill(g, BIG, 0x676f7274);
	if (holds(g, BIG, 0x676f7274))
		printf("64 MiB gort_new object zeroed and intact\n");

	uint64_t *m = malloc(BIG);
	if (!holds(m, BIG, 0))
		printf("FAIL: malloc object not zeroed\n");
	fill(m, BIG, ~0ULL);
	if (holds(m, BIG, ~0ULL) && holds(g, BIG, 0x676f7274))
		printf("64 MiB malloc object zeroed and intact\n");

	runtime_MemStats a, b;
	free(m);
	runtime_ReadMemStats(&a);
	uint64_t *m2 = malloc(BIG);
	runtime_ReadMemStats(&b);
	printf("HeapSys %llu -> %llu, HeapInuse %llu -> %llu\n", (unsigned long long)a.HeapSys,
	       (unsigned long long)b.HeapSys, (unsigned long long)a.HeapInuse,
	       (unsigned long long)b.HeapInuse);
	if (b.HeapSys != a.HeapSys)
		printf("FAIL: the heap grew instead of reusing the freed pages\n");
	else if (!holds(m2, BIG, 0))
		printf("FAIL: the reused object is not zeroed\n");
	else
		printf("freed 64 MiB reused, zeroed again\n");
	return 0;
}
