/*
 * Go's size classes: every small object (up to 32 KiB) is rounded up to one
 * of 67 sizes, and each size class is carved out of spans of a fixed number
 * of heap pages. The table is Go's (Go 1.19 and later, sizeclasses.go), so
 * objects waste the same tail space as in Go and MemStats.BySize reports
 * the same sizes: class 0 stands for large objects, classes 1..67 are
 * 8, 16, 24, 32, 48, ... 32768 bytes.
 *
 * A heap page is Go's 8 KiB page (two 4 KiB hardware pages): span sizes are
 * Go's. Objects in a span start at its page-aligned base, so an object of a
 * class whose size is a multiple of 2^k is aligned to min(2^k, 8 KiB).
 *
 * The lookup tables (size -> class) are built once by sizeclasses_init from
 * the class table, the way Go's generator builds them, and are read-only
 * afterwards; the division by the object size (the object index of an
 * address) uses Go's multiply-shift "divMul" magic, exact for every offset
 * inside a span.
 */
#ifndef GORT_RUNTIME_SIZECLASSES_H
#define GORT_RUNTIME_SIZECLASSES_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_PAGE_SHIFT 13
#define HEAP_PAGE_SIZE  ((size_t)1 << HEAP_PAGE_SHIFT)

#define NUM_SIZE_CLASSES 68    /* class 0 (large) and the 67 small classes */
#define MAX_SMALL_SIZE   32768 /* the largest small object */
#define SMALL_SIZE_DIV   8     /* sizes up to SMALL_SIZE_MAX are looked up in steps of 8 */
#define SMALL_SIZE_MAX   1024
#define LARGE_SIZE_DIV   128  /* larger small sizes in steps of 128 */
#define TINY_SIZE        16   /* the tiny allocator's block */
#define TINY_SIZE_CLASS  2    /* the class of a 16-byte block */
#define MAX_SPAN_OBJECTS 1024 /* objects in an 8-byte-class span */

struct sizeclass {
	uint32_t size;   /* bytes per object */
	uint32_t npages; /* heap pages per span */
	uint32_t nelems; /* objects per span */
	uint32_t divmul; /* offset / size == (offset * divmul) >> 32 */
};

extern struct sizeclass sizeclasses[NUM_SIZE_CLASSES];
extern uint8_t size_to_class8[SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1];
extern uint8_t size_to_class128[(MAX_SMALL_SIZE - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1];

/* Fills the derived columns and the lookup tables. Once, before any
 * allocation (mallocinit). */
void sizeclasses_init(void);

/* The class of a small object of size bytes (1 <= size <= MAX_SMALL_SIZE). */
static inline unsigned size_to_class(size_t size)
{
	if (size <= SMALL_SIZE_MAX - 8)
		return size_to_class8[(size + SMALL_SIZE_DIV - 1) / SMALL_SIZE_DIV];
	return size_to_class128[(size - SMALL_SIZE_MAX + LARGE_SIZE_DIV - 1) / LARGE_SIZE_DIV];
}

/* The index of the object containing byte offset off of a span of class c. */
static inline uint32_t sizeclass_index(unsigned c, uintptr_t off)
{
	return (uint32_t)(((uint64_t)off * sizeclasses[c].divmul) >> 32);
}

#endif
