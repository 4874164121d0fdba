/*
 * Host test of the span lookup (runtime/arena.c): for any address, span_of
 * finds the in-use span holding it or says there is none: across an arena
 * boundary, at the first and last byte of spans, in free page runs, outside
 * the heap and beyond the address bits; and for every byte of objects the
 * allocator hands out, the span found is the one that holds the object.
 */
#include <stdio.h>

#include "runtime/malloc.h"
#include "tests/unit/check.h"
#include "tests/unit/host/kernel_host.h"

#include "kernel/vm.h"

#include <gort/runtime.h>

static int global_object;

/* A fake span straddling two registered arenas. */
static void test_arena_map(void)
{
	uintptr_t base = vm_reserve(VM_REGION_HEAP, 2 * ARENA_SIZE, ARENA_SIZE);
	CHECK(base != 0 && base % ARENA_SIZE == 0);
	CHECK(arena_of(base) == NULL);
	arena_register(base, 2 * ARENA_SIZE);
	CHECK(arena_of(base) != NULL);
	CHECK(arena_of(base + ARENA_SIZE) != NULL);
	CHECK(arena_of(base + ARENA_SIZE) != arena_of(base));
	CHECK(arena_of(base + ARENA_SIZE - 1) == arena_of(base));
	CHECK(arena_of(base + 2 * ARENA_SIZE - 1) == arena_of(base + ARENA_SIZE));
	CHECK(arena_of(0) == NULL);
	CHECK(arena_of((uintptr_t)1 << HEAP_ADDR_BITS) == NULL);
	CHECK(arena_of(UINTPTR_MAX) == NULL);

	static struct mspan s;
	s.base = base + ARENA_SIZE - 3 * HEAP_PAGE_SIZE;
	s.npages = 6;
	s.state = SPAN_INUSE;
	spans_set(s.base, s.npages, &s);
	unsigned bad = 0;
	for (uintptr_t p = s.base - 2 * HEAP_PAGE_SIZE; p < span_end(&s) + 2 * HEAP_PAGE_SIZE;
	     p += 8) {
		struct mspan *want = p >= s.base && p < span_end(&s) ? &s : NULL;
		bad += span_of(p) != want;
	}
	CHECK(bad == 0);
	CHECK(span_of(s.base) == &s);
	CHECK(span_of(span_end(&s) - 1) == &s);
	CHECK(span_of(s.base - 1) == NULL);
	CHECK(span_of(span_end(&s)) == NULL);
	s.state = SPAN_FREE;
	CHECK(span_of(s.base) == NULL);
}

/* Every byte of an object maps to the span holding it. */
static void check_object(void *obj, size_t size, unsigned sizeclass)
{
	uintptr_t p = (uintptr_t)obj;
	struct mspan *s = span_of(p);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(spanclass_size(s->spanclass) == sizeclass);
	unsigned bad = 0;
	for (uintptr_t q = p; q < p + size; q++)
		bad += span_of(q) != s;
	CHECK(bad == 0);
	if (sizeclass != 0) {
		uint32_t i = sizeclass_index(sizeclass, p - s->base);
		CHECK(s->base + i * s->elemsize == p);
	}
}

static void test_heap_objects(void)
{
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++)
		for (int k = 0; k < 3; k++)
			check_object(gort_new(sizeclasses[c].size), sizeclasses[c].size, c);
	void *big = gort_new(3 * MAX_SMALL_SIZE + 5);
	check_object(big, 3 * MAX_SMALL_SIZE + 5, 0);

	/* A freed large object's pages are a free run: no span. */
	void *m = manual_alloc(5 * HEAP_PAGE_SIZE, 16);
	check_object(m, 5 * HEAP_PAGE_SIZE, 0);
	manual_free(m);
	CHECK(span_of((uintptr_t)m) == NULL);
	CHECK(span_of((uintptr_t)m + 3 * HEAP_PAGE_SIZE) == NULL);

	int local;
	CHECK(span_of((uintptr_t)&local) == NULL);
	CHECK(span_of((uintptr_t)&global_object) == NULL);
	CHECK(span_of(0) == NULL);
	CHECK(span_of(UINTPTR_MAX) == NULL);
}

int main(void)
{
	host_cpus_online(1);
	mallocinit();
	test_arena_map();
	test_heap_objects();
	return check_status("spanlookup_test");
}
