/*
 * Host test of the size-class table (runtime/sizeclasses.c) against Go's
 * (Go 1.19 sizeclasses.go): the same 67 classes with the same span sizes,
 * objects per span and tail waste; every size from 1 to 32 KiB maps to the
 * smallest class that holds it; the divMul magic divides exactly at every
 * offset of every span; and the alignment facts malloc relies on.
 */
#include "runtime/sizeclasses.h"

#include "tests/unit/check.h"

#define GO_CLASSES 67 /* the non-zero classes */

/* Go's comment table, columns "bytes/span", "objects" and "tail waste". */
static const unsigned go_span_bytes[GO_CLASSES] = {
    8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,
    8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,
    8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  8192,  16384, 8192,
    16384, 8192,  16384, 8192,  24576, 16384, 24576, 8192,  24576, 16384, 24576, 32768,
    40960, 49152, 8192,  57344, 49152, 40960, 32768, 24576, 40960, 57344, 16384, 73728,
    57344, 40960, 65536, 24576, 81920, 57344, 32768,
};
static const unsigned go_objects[GO_CLASSES] = {
    1024, 512, 341, 256, 170, 128, 102, 85, 73, 64, 56, 51, 46, 42, 39, 36, 34,
    32,   28,  25,  23,  21,  19,  18,  17, 16, 14, 12, 11, 10, 9,  8,  7,  6,
    11,   5,   9,   4,   7,   3,   8,   5,  7,  2,  5,  3,  4,  5,  6,  7,  1,
    6,    5,   4,   3,   2,   3,   4,   1,  4,  3,  2,  3,  1,  3,  2,  1,
};
static const unsigned go_tail_waste[GO_CLASSES] = {
    0,   0,   8,   0,   32,  0,   32,  32,  16,  0,   128, 32,  96,  128, 80,  128, 32,
    0,   128, 192, 96,  128, 288, 128, 32,  0,   128, 512, 448, 512, 128, 0,   128, 512,
    896, 512, 256, 0,   256, 128, 0,   384, 384, 0,   256, 256, 0,   128, 256, 768, 0,
    512, 512, 0,   128, 0,   256, 0,   0,   0,   128, 0,   256, 0,   128, 0,   0,
};

static void test_geometry(void)
{
	CHECK(sizeclasses[0].size == 0);
	CHECK(sizeclasses[1].size == 8);
	CHECK(sizeclasses[NUM_SIZE_CLASSES - 1].size == MAX_SMALL_SIZE);
	CHECK(sizeclasses[TINY_SIZE_CLASS].size == TINY_SIZE);
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++) {
		const struct sizeclass *sc = &sizeclasses[c];
		size_t span = sc->npages * HEAP_PAGE_SIZE;
		CHECK(span == go_span_bytes[c - 1]);
		CHECK(sc->nelems == go_objects[c - 1]);
		CHECK(span - (size_t)sc->nelems * sc->size == go_tail_waste[c - 1]);
		CHECK(sc->nelems <= MAX_SPAN_OBJECTS);
		if (c > 1)
			CHECK(sc->size > sizeclasses[c - 1].size);
	}
	CHECK(sizeclasses[1].nelems == MAX_SPAN_OBJECTS);
	/* MemStats.BySize stops at Go's class 60. */
	CHECK(sizeclasses[60].size == 18432);
}

static void test_size_to_class(void)
{
	for (size_t size = 1; size <= MAX_SMALL_SIZE; size++) {
		unsigned c = size_to_class(size);
		CHECK(c >= 1 && c < NUM_SIZE_CLASSES);
		CHECK(sizeclasses[c].size >= size);
		CHECK(c == 1 || sizeclasses[c - 1].size < size);
	}
}

static void test_divmul(void)
{
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++) {
		const struct sizeclass *sc = &sizeclasses[c];
		size_t span = sc->npages * HEAP_PAGE_SIZE;
		unsigned bad = 0;
		for (uintptr_t off = 0; off < span; off++)
			bad += sizeclass_index(c, off) != off / sc->size;
		CHECK(bad == 0);
	}
}

/* malloc rounds sizes above 8 up to 16 for max_align_t: every class of a
 * multiple of 16 must be one, and objects of a class whose size is a
 * multiple of 2^k start at multiples of 2^k (up to a page). */
static void test_alignment(void)
{
	for (size_t size = 16; size <= MAX_SMALL_SIZE; size += 16)
		CHECK(sizeclasses[size_to_class(size)].size % 16 == 0);
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++) {
		size_t size = sizeclasses[c].size;
		size_t align = size & -size;
		if (align > HEAP_PAGE_SIZE)
			align = HEAP_PAGE_SIZE;
		for (size_t i = 0; i < sizeclasses[c].nelems; i++)
			CHECK((i * size) % align == 0);
	}
}

int main(void)
{
	sizeclasses_init();
	test_geometry();
	test_size_to_class();
	test_divmul();
	test_alignment();
	return check_status("sizeclass_test");
}
