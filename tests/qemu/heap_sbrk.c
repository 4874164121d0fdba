/*
 * GODEBUG=sbrk=1: Go's trivial bump allocator. Objects are zeroed and
 * distinct, free does nothing, realloc keeps contents, and MemStats counts
 * the memory in OtherSys with no heap objects, as Go's sbrk mode does.
 *
 * cmdline: GODEBUG=sbrk=1
 * expect-line: bump allocation works
 * expect-line: memory counted in OtherSys
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	int bad = 0;
	char *prev = NULL;
	for (int i = 1; i < 3000; i++) {
		char *p = i % 2 ? gort_new((size_t)i) : malloc((size_t)i);
		for (int k = 0; k < i; k++)
			bad += p[k] != 0;
		memset(p, 0xff, (size_t)i);
		bad += p == prev;
		prev = p;
	}
	char *s = malloc(10);
	strcpy(s, "sbrk");
	s = realloc(s, 100000);
	bad += strcmp(s, "sbrk") != 0;
	free(s);
	void *al = aligned_alloc(4096, 10);
	bad += (uintptr_t)al % 4096 != 0;
	if (bad)
		printf("FAIL: %d bad objects\n", bad);
	else
		printf("bump allocation works\n");
	runtime_MemStats m;
	runtime_ReadMemStats(&m);
	if (m.Mallocs != 0 || m.OtherSys < 4500000)
		printf("FAIL: Mallocs %llu, OtherSys %llu\n", (unsigned long long)m.Mallocs,
		       (unsigned long long)m.OtherSys);
	else
		printf("memory counted in OtherSys\n");
	return 0;
}
