/*
 * runtime_ReadMemStats counts exactly and keeps Go's identities, taken at
 * one instant with every other CPU parked: HeapObjects == Mallocs - Frees,
 * Sys >= HeapSys >= HeapInuse >= HeapAlloc, HeapSys == HeapInuse +
 * HeapIdle, Sys is the sum of the ...Sys fields, BySize has Go's 61 sizes
 * and sums to at most Mallocs and Frees; each allocation and free moves the
 * counters by exactly its size; and Sys never exceeds what the page
 * allocator has handed out.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: identities hold
 * expect-line: counts exact
 * expect-line: Sys within the page allocator's pages
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/pagealloc.h"

static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

static void identities(const runtime_MemStats *m)
{
	check(m->HeapObjects == m->Mallocs - m->Frees, "HeapObjects == Mallocs - Frees");
	check(m->Alloc == m->HeapAlloc, "Alloc == HeapAlloc");
	check(m->Sys >= m->HeapSys, "Sys >= HeapSys");
	check(m->HeapSys >= m->HeapInuse, "HeapSys >= HeapInuse");
	check(m->HeapInuse >= m->HeapAlloc, "HeapInuse >= HeapAlloc");
	check(m->HeapSys == m->HeapInuse + m->HeapIdle, "HeapSys == HeapInuse + HeapIdle");
	check(m->HeapIdle >= m->HeapReleased, "HeapIdle >= HeapReleased");
	check(m->TotalAlloc >= m->HeapAlloc, "TotalAlloc >= HeapAlloc");
	check(m->Sys == m->HeapSys + m->StackSys + m->MSpanSys + m->MCacheSys + m->BuckHashSys +
			    m->GCSys + m->OtherSys,
	      "Sys is the sum of the ...Sys fields");
	check(m->MSpanSys >= m->MSpanInuse && m->MCacheSys >= m->MCacheInuse,
	      "metadata in use within its Sys");
	check(m->OtherSys > 0, "OtherSys counted");
	check(m->EnableGC, "EnableGC");
	uint64_t mallocs = 0, frees = 0;
	for (int i = 0; i < 61; i++) {
		mallocs += m->BySize[i].Mallocs;
		frees += m->BySize[i].Frees;
		check(m->BySize[i].Mallocs >= m->BySize[i].Frees, "BySize Mallocs >= Frees");
	}
	check(m->BySize[1].Size == 8 && m->BySize[3].Size == 24 && m->BySize[60].Size == 18432,
	      "BySize sizes are Go's");
	check(mallocs <= m->Mallocs && frees <= m->Frees, "BySize sums within Mallocs, Frees");
}

int main(void)
{
	runtime_MemStats a, b;
	runtime_ReadMemStats(&a);
	identities(&a);
	void *keep[100];
	for (int i = 0; i < 100; i++)
		keep[i] = malloc((size_t)i * 300 + 1);
	for (int i = 0; i < 5000; i++)
		gort_new((size_t)i % 3000 + 1);
	runtime_ReadMemStats(&b);
	identities(&b);
	check(b.GCSys > 0, "arena metadata in GCSys");
	printf("identities hold\n");

	runtime_ReadMemStats(&a);
	for (int i = 0; i < 1000; i++)
		gort_new(48);
	void *big = malloc(1 << 20);
	runtime_ReadMemStats(&b);
	check(b.Mallocs - a.Mallocs == 1001, "Mallocs counts each object");
	check(b.TotalAlloc - a.TotalAlloc == 48000 + (1 << 20), "TotalAlloc counts each byte");
	check(b.HeapAlloc - a.HeapAlloc == 48000 + (1 << 20), "HeapAlloc counts each byte");
	check(b.BySize[5].Mallocs - a.BySize[5].Mallocs == 1000, "BySize[5] (48 bytes)");
	runtime_ReadMemStats(&a);
	free(big);
	for (int i = 0; i < 100; i++)
		free(keep[i]);
	runtime_ReadMemStats(&b);
	check(b.Frees - a.Frees == 101, "Frees counts each free");
	check(a.HeapAlloc - b.HeapAlloc >= (1 << 20), "HeapAlloc drops by what was freed");
	check(a.HeapInuse - b.HeapInuse >= (1 << 20), "the large object's pages are idle");
	identities(&b);
	printf("counts exact\n");

	struct pagealloc_stats ps;
	pagealloc_stats(&ps);
	uint64_t used = (ps.total_pages - ps.free_pages) * PAGE_SIZE;
	runtime_ReadMemStats(&b);
	printf("Sys %llu bytes, page allocator: %llu bytes handed out\n", (unsigned long long)b.Sys,
	       (unsigned long long)used);
	check(b.Sys - b.HeapReleased <= used, "Sys within the page allocator's pages");
	printf("Sys within the page allocator's pages\n");
	return failures != 0;
}
