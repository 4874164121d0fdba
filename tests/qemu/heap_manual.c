/*
 * The C library's allocation functions run on gort's heap as manual
 * objects. Malloc, calloc, realloc, free, aligned_alloc, posix_memalign,
 * memalign, malloc_usable_size and picolibc's own callers (strdup) behave
 * as C says, and freed memory is reused, not leaked.
 *
 * expect-line: malloc: zeroed, 16-byte aligned, usable size covers the request
 * expect-line: calloc: zeroed; overflow is NULL with ENOMEM
 * expect-line: realloc: contents kept while growing and shrinking
 * expect-line: aligned: every alignment from 16 bytes to 1 MiB
 * expect-line: strdup: served by the same heap
 * expect-line: impossible sizes: NULL with ENOMEM
 * expect-line: reuse: freed memory is reused
 * expect-not-contains: FAIL
 */
#include <errno.h>
#include <gort.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

static bool zeroed(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static void test_malloc(void)
{
	void *z = malloc(0);
	check(z != NULL, "malloc(0) returns a pointer");
	free(z);
	free(NULL);
	for (size_t n = 1; n <= 70000; n = n < 64 ? n + 1 : n * 5 / 4) {
		unsigned char *p = malloc(n);
		check(p != NULL && zeroed(p, n), "malloc zeroed");
		check(n <= 8 || (uintptr_t)p % 16 == 0, "malloc 16-byte aligned");
		check(malloc_usable_size(p) >= n, "usable size");
		memset(p, 0x5a, n);
		free(p);
	}
	printf("malloc: zeroed, 16-byte aligned, usable size covers the request\n");
}

static void test_calloc(void)
{
	unsigned char *p = calloc(1000, 33);
	check(p != NULL && zeroed(p, 33000), "calloc zeroed");
	free(p);
	volatile size_t huge = SIZE_MAX / 2;
	errno = 0;
	check(calloc(huge, 4) == NULL && errno == ENOMEM, "calloc overflow");
	printf("calloc: zeroed; overflow is NULL with ENOMEM\n");
}

static void test_realloc(void)
{
	unsigned char *p = realloc(NULL, 10);
	for (int i = 0; i < 10; i++)
		p[i] = (unsigned char)i;
	size_t have = 10;
	for (size_t n = 20; n < 1000000; n *= 3) {
		p = realloc(p, n);
		bool kept = true;
		for (size_t i = 0; i < have; i++)
			kept &= p[i] == (unsigned char)i;
		check(kept, "realloc keeps contents while growing");
		for (size_t i = have; i < n; i++)
			p[i] = (unsigned char)i;
		have = n;
	}
	p = realloc(p, 7);
	bool kept = true;
	for (size_t i = 0; i < 7; i++)
		kept &= p[i] == (unsigned char)i;
	check(kept, "realloc keeps contents while shrinking");
	check(realloc(p, 0) == NULL, "realloc to 0 frees");
	printf("realloc: contents kept while growing and shrinking\n");
}

static void test_aligned(void)
{
	for (size_t align = 16; align <= (1 << 20); align *= 2) {
		for (size_t n = 1; n < 100000; n = n * 7 + 3) {
			void *a = aligned_alloc(align, n), *m = memalign(align, n), *p = NULL;
			check(posix_memalign(&p, align, n) == 0, "posix_memalign");
			check(a != NULL && (uintptr_t)a % align == 0, "aligned_alloc aligned");
			check(m != NULL && (uintptr_t)m % align == 0, "memalign aligned");
			check(p != NULL && (uintptr_t)p % align == 0, "posix_memalign aligned");
			check(zeroed(a, n), "aligned_alloc zeroed");
			free(a);
			free(m);
			free(p);
		}
	}
	void *p;
	check(posix_memalign(&p, 24, 10) == EINVAL, "posix_memalign rejects 24");
	errno = 0;
	check(aligned_alloc(48, 10) == NULL && errno == EINVAL, "aligned_alloc rejects 48");
	printf("aligned: every alignment from 16 bytes to 1 MiB\n");
}

static void test_strdup(void)
{
	char *s = strdup("gort heap");
	check(s != NULL && strcmp(s, "gort heap") == 0, "strdup copies");
	check(malloc_usable_size(s) >= 10, "strdup's object is a malloc object");
	free(s);
	printf("strdup: served by the same heap\n");
}

static void test_impossible(void)
{
	volatile size_t huge = SIZE_MAX / 2;
	errno = 0;
	check(malloc(huge) == NULL && errno == ENOMEM, "malloc of more than RAM");
	errno = 0;
	check(realloc(NULL, (size_t)1 << 50) == NULL && errno == ENOMEM, "realloc of 1 PiB");
	printf("impossible sizes: NULL with ENOMEM\n");
}

static void test_reuse(void)
{
	runtime_MemStats a, b;
	void *p[1000];
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 1000; i++)
			p[i] = malloc(1 + (size_t)(i * 37) % 5000);
		for (int i = 0; i < 1000; i++)
			free(p[i]);
		void *big = malloc(3 << 20);
		free(big);
		if (round == 0)
			runtime_ReadMemStats(&a);
	}
	runtime_ReadMemStats(&b);
	check(b.HeapSys == a.HeapSys, "no growth after the first round");
	check(b.HeapObjects == a.HeapObjects, "every object freed");
	printf("reuse: freed memory is reused\n");
}

int main(void)
{
	test_malloc();
	test_calloc();
	test_realloc();
	test_aligned();
	test_strdup();
	test_impossible();
	test_reuse();
	return failures != 0;
}
