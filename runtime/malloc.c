/*
 * Memory allocation: Go's allocator (malloc.go) for gort_new and for the C
 * library's malloc.
 *
 * The structure is Go's. Small objects (up to 32 KiB) are rounded up to one
 * of 67 size classes (sizeclasses.c) and carved out of spans: runs of 8 KiB
 * pages holding objects of one class. Each CPU has an mcache (mcache.c)
 * holding one span per span class, from which it allocates with no lock,
 * interrupts off; a full span goes back to its mcentral (mcentral.c), the
 * class's list of spans, which hands out one with free slots or takes a
 * fresh span from the page heap (mheap.c). Large objects get a span of
 * their own straight from the page heap. The page heap maps memory into
 * 64 MiB arenas of reserved address space as it hands pages out, and
 * arena.c finds the span of any address in O(1).
 *
 * Three kinds of spans (a span class is size class x kind): gort_new
 * objects (scanned by the collector), gort_new_noscan objects (pointer-free;
 * small ones under 16 bytes are packed into 16-byte blocks by Go's tiny
 * allocator), and manual objects (malloc and friends, libc_malloc.c), which
 * are freed by hand. Keeping malloc objects in spans of their own makes
 * free() exact: a pointer is freed only if it is the start of an allocated
 * object in a manual span; anything else (an interior pointer, a gort_new
 * object, memory the heap never gave out) is Go's kind of fatal error,
 * "free of invalid pointer 0x...", and freeing an object twice is
 * "double free of 0x...", never a corrupted heap.
 *
 * Objects are zeroed: memory fresh from vm_map is zero, so only spans that
 * reuse pages (needzero) are cleared, after interrupts are back on.
 *
 * Until the collector exists gort_new objects are never freed; they are
 * counted in Mallocs and TotalAlloc like every object.
 *
 * GODEBUG (read once, at mallocinit):
 *   efence=1  every object is a large object on its own pages; free()
 *             unmaps them and their addresses are never reused, so a use
 *             after free faults (the exception report, exit status 2).
 *   sbrk=1    a trivial bump allocator: no spans, no frees (free() does
 *             nothing), memory counted in OtherSys, as in Go.
 *
 * Out of memory, physical or address space, is Go's fatal error:
 * "runtime: out of memory: cannot allocate N-byte block (M in use)", then
 * "fatal error: runtime: out of memory". Only requests larger than all of
 * RAM, which could never succeed, make malloc return NULL.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/cpu.h"
#include "kernel/pagealloc.h"
#include "kernel/vm.h"
#include "runtime/malloc.h"
#include "runtime/settings.h"

#include <gort/runtime.h>

#define MANUAL_ALIGN 16           /* malloc's alignment: max_align_t on every arch */
#define SBRK_CHUNK   (256 * 1024) /* sbrk=1 maps address space in chunks of this */
#define SBRK_HEADER  16           /* sbrk=1 keeps a manual object's size before it */

enum malloc_mode malloc_mode;
static size_t heap_max;   /* RAM: no request above it can succeed */
static uint64_t zerobase; /* the address of every zero-size gort_new object */

/* GODEBUG=sbrk=1: the unused rest of the current chunk. */
static struct {
	struct spinlock lock; /* interrupts off; protects cur and end */
	uintptr_t cur, end;
} sbrk_state = {.lock = SPINLOCK_INIT};

void mallocinit(void)
{
	sizeclasses_init();
	mheap_init();
	if (godebug_int("sbrk", 0) != 0)
		malloc_mode = MALLOC_SBRK;
	else if (godebug_int("efence", 0) != 0)
		malloc_mode = MALLOC_EFENCE;
	struct pagealloc_stats ps;
	pagealloc_stats(&ps);
	heap_max = ps.total_pages * PAGE_SIZE;
	mcentrals =
	    persistentalloc(sizeof(struct mcentral) * NUM_SPAN_CLASSES, 64, &heapstats.other_sys);
	for (unsigned i = 0; i < NUM_SPAN_CLASSES; i++)
		mcentral_init(&mcentrals[i], i);
	for (int i = 0; i < MAX_CPUS; i++)
		if (__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			mcaches[i] = mcache_create();
}

/* An object of size class sc and kind from this CPU's mcache. */
static inline void *alloc_small(unsigned sc, enum span_kind kind)
{
	unsigned spc = make_spanclass(sc, kind);
	unsigned long flags = arch_irq_save();
	struct mcache *c = mcaches[this_cpu()->id];
	if (c == NULL)
		throw("malloc called before mallocinit");
	struct mspan *s = c->alloc[spc];
	uintptr_t x = span_next_free_fast(s);
	if (x == 0)
		x = mcache_next_free(c, spc, &s, flags);
	bool zero = s->needzero;
	size_t size = s->elemsize;
	arch_irq_restore(flags);
	if (zero)
		memset((void *)x, 0, size);
	return (void *)x;
}

/* Go's tiny allocator: pointer-free objects under 16 bytes share 16-byte
 * blocks, each aligned to what its size needs. */
static void *alloc_tiny(size_t size)
{
	unsigned long flags = arch_irq_save();
	struct mcache *c = mcaches[this_cpu()->id];
	if (c == NULL)
		throw("malloc called before mallocinit");
	uintptr_t off = c->tinyoffset;
	if ((size & 7) == 0)
		off = (off + 7) & ~(uintptr_t)7;
	else if ((size & 3) == 0)
		off = (off + 3) & ~(uintptr_t)3;
	else if ((size & 1) == 0)
		off = (off + 1) & ~(uintptr_t)1;
	if (off + size <= TINY_SIZE && c->tiny != 0) {
		uintptr_t x = c->tiny + off;
		c->tinyoffset = off + size;
		c->tinyAllocs++;
		arch_irq_restore(flags);
		return (void *)x;
	}
	unsigned spc = make_spanclass(TINY_SIZE_CLASS, SPAN_NOSCAN);
	struct mspan *s = c->alloc[spc];
	uintptr_t x = span_next_free_fast(s);
	if (x == 0)
		x = mcache_next_free(c, spc, &s, flags);
	((uint64_t *)x)[0] = 0;
	((uint64_t *)x)[1] = 0;
	/* Keep the block with more room left. */
	if (size < c->tinyoffset || c->tiny == 0) {
		c->tiny = x;
		c->tinyoffset = size;
	}
	arch_irq_restore(flags);
	return (void *)x;
}

/* A large object: a span of its own, aligned to align_pages heap pages. */
static void *alloc_large(size_t size, enum span_kind kind, size_t align_pages)
{
	if (size > heap_max)
		throw_out_of_memory(size);
	size_t npages = (size + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
	unsigned long flags = arch_irq_save();
	struct mspan *s = mheap_alloc(npages, align_pages, make_spanclass(0, kind), size, flags);
	stat_add(&heapstats.large_alloc, (int64_t)(npages * HEAP_PAGE_SIZE));
	stat_add(&heapstats.large_alloc_count, 1);
	bool zero = s->needzero;
	arch_irq_restore(flags);
	if (zero)
		memset((void *)s->base, 0, npages * HEAP_PAGE_SIZE);
	return (void *)s->base;
}

/* GODEBUG=sbrk=1: size bytes aligned to align, never freed. */
static void *sbrk_alloc(size_t size, size_t align)
{
	if (size > heap_max)
		throw_out_of_memory(size);
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&sbrk_state.lock);
		uintptr_t p = (sbrk_state.cur + align - 1) & ~(uintptr_t)(align - 1);
		if (sbrk_state.cur != 0 && p + size <= sbrk_state.end) {
			sbrk_state.cur = p + size;
			spin_unlock_irqrestore(&sbrk_state.lock, flags);
			return (void *)p;
		}
		spin_unlock_irqrestore(&sbrk_state.lock, flags);
		size_t bytes = (size + SBRK_CHUNK - 1) & ~(size_t)(SBRK_CHUNK - 1);
		size_t va_align = align > PAGE_SIZE ? align : PAGE_SIZE;
		uintptr_t va = vm_reserve(VM_REGION_HEAP, bytes, va_align);
		if (va == 0 || !vm_map(va, bytes, VM_READ | VM_WRITE))
			throw_out_of_memory(size);
		stat_add(&heapstats.other_sys, (int64_t)bytes);
		if (size > SBRK_CHUNK / 2)
			return (void *)va;
		/* The rest of the old chunk stays unused. */
		flags = spin_lock_irqsave(&sbrk_state.lock);
		sbrk_state.cur = va;
		sbrk_state.end = va + bytes;
		spin_unlock_irqrestore(&sbrk_state.lock, flags);
	}
}

/* Allocation under GODEBUG=efence=1 or sbrk=1. */
static void *alloc_debug(size_t size, enum span_kind kind, size_t align)
{
	if (malloc_mode == MALLOC_SBRK) {
		if (kind != SPAN_MANUAL)
			return size == 0 ? &zerobase : sbrk_alloc(size, MANUAL_ALIGN);
		size_t header = align > SBRK_HEADER ? align : SBRK_HEADER;
		char *p = sbrk_alloc(size + header, header);
		p += header;
		((size_t *)p)[-1] = size;
		return p;
	}
	if (size == 0)
		return kind == SPAN_MANUAL ? alloc_large(1, kind, 1) : &zerobase;
	size_t align_pages = align > HEAP_PAGE_SIZE ? align / HEAP_PAGE_SIZE : 1;
	return alloc_large(size, kind, align_pages);
}

static inline void *mallocgc(size_t size, enum span_kind kind)
{
	if (__builtin_expect(malloc_mode != MALLOC_NORMAL, 0))
		return alloc_debug(size, kind, 0);
	if (size == 0)
		return &zerobase;
	if (size > MAX_SMALL_SIZE)
		return alloc_large(size, kind, 1);
	if (kind == SPAN_NOSCAN && size < TINY_SIZE)
		return alloc_tiny(size);
	return alloc_small(size_to_class(size), kind);
}

void *gort_new(size_t size)
{
	return mallocgc(size, SPAN_SCAN);
}

void *gort_new_noscan(size_t size)
{
	return mallocgc(size, SPAN_NOSCAN);
}

/* ---- manual objects --------------------------------------------------- */

void *manual_alloc(size_t size, size_t align)
{
	if (size > heap_max || align > heap_max)
		return NULL;
	if (size == 0)
		size = 1;
	if (malloc_mode != MALLOC_NORMAL)
		return alloc_debug(size, SPAN_MANUAL, align);
	if (align <= MANUAL_ALIGN) {
		/* Every class above 16 bytes that is a multiple of 16 is
		 * 16-aligned; the 24-byte class is not, and the 8-byte class
		 * serves only sizes that need no more than 8. */
		if (size > 8 || align > 8)
			size = (size + MANUAL_ALIGN - 1) & ~(size_t)(MANUAL_ALIGN - 1);
		if (size <= MAX_SMALL_SIZE)
			return alloc_small(size_to_class(size), SPAN_MANUAL);
		return alloc_large(size, SPAN_MANUAL, 1);
	}
	/* A class whose size is a multiple of align is aligned to it (up to
	 * a page): objects start at multiples of their size from the page-
	 * aligned span base. */
	if (align <= HEAP_PAGE_SIZE && size <= MAX_SMALL_SIZE)
		for (unsigned sc = size_to_class(size); sc < NUM_SIZE_CLASSES; sc++)
			if (sizeclasses[sc].size % align == 0)
				return alloc_small(sc, SPAN_MANUAL);
	return alloc_large(size, SPAN_MANUAL, align > HEAP_PAGE_SIZE ? align / HEAP_PAGE_SIZE : 1);
}

enum manual_op {
	OP_FREE,
	OP_REALLOC,
	OP_SIZE,
};

_Noreturn static void throw_pointer(const char *fmt, uintptr_t p)
{
	static char msg[96];
	snprintf(msg, sizeof msg, fmt, (unsigned long)p);
	throw(msg);
}

_Noreturn static void invalid_pointer(enum manual_op op, uintptr_t p)
{
	static const char *const fmt[] = {
	    [OP_FREE] = "free of invalid pointer %#lx",
	    [OP_REALLOC] = "realloc of invalid pointer %#lx",
	    [OP_SIZE] = "malloc_usable_size of invalid pointer %#lx",
	};
	throw_pointer(fmt[op], p);
}

_Noreturn static void freed_pointer(enum manual_op op, uintptr_t p)
{
	static const char *const fmt[] = {
	    [OP_FREE] = "double free of %#lx",
	    [OP_REALLOC] = "realloc of freed pointer %#lx",
	    [OP_SIZE] = "malloc_usable_size of freed pointer %#lx",
	};
	throw_pointer(fmt[op], p);
}

/* Whether object i of small span s is allocated (handed out and not
 * swept since): below freeindex, or set in allocBits. */
static bool object_allocated(struct mspan *s, uint32_t i)
{
	uint32_t fi = __atomic_load_n(&s->freeindex, __ATOMIC_ACQUIRE);
	uint64_t bits = __atomic_load_n(&s->allocBits[i / 64], __ATOMIC_RELAXED);
	return i < fi || (bits >> (i % 64)) & 1;
}

/* The manual span in which p is the start of an allocated object, or a
 * fatal error; *index gets the object's index. */
static struct mspan *manual_object(uintptr_t p, enum manual_op op, uint32_t *index)
{
	struct mspan *s = span_entry(p);
	if (s == NULL)
		invalid_pointer(op, p);
	uint8_t state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	if ((state == SPAN_FENCED || state == SPAN_FREE) && p == s->base)
		freed_pointer(op, p);
	if (state != SPAN_INUSE || p < s->base || p >= span_end(s) ||
	    spanclass_kind(s->spanclass) != SPAN_MANUAL)
		invalid_pointer(op, p);
	unsigned sc = spanclass_size(s->spanclass);
	if (sc == 0) {
		if (p != s->base)
			invalid_pointer(op, p);
		if (__atomic_load_n(&s->largefreed, __ATOMIC_ACQUIRE))
			freed_pointer(op, p);
		*index = 0;
		return s;
	}
	uint32_t i = sizeclass_index(sc, p - s->base);
	if (p >= s->limit || s->base + (uintptr_t)i * s->elemsize != p)
		invalid_pointer(op, p);
	if (!object_allocated(s, i) ||
	    (__atomic_load_n(&s->freedBits[i / 64], __ATOMIC_RELAXED) >> (i % 64)) & 1)
		freed_pointer(op, p);
	*index = i;
	return s;
}

void manual_free(void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	if (p == 0 || malloc_mode == MALLOC_SBRK)
		return;
	unsigned long flags = arch_irq_save();
	uint32_t i;
	struct mspan *s = manual_object(p, OP_FREE, &i);
	unsigned sc = spanclass_size(s->spanclass);
	if (sc == 0) {
		if (__atomic_exchange_n(&s->largefreed, 1, __ATOMIC_ACQ_REL))
			freed_pointer(OP_FREE, p);
		stat_add(&heapstats.large_free, (int64_t)(s->npages * HEAP_PAGE_SIZE));
		stat_add(&heapstats.large_free_count, 1);
		if (malloc_mode == MALLOC_EFENCE) {
			arch_irq_restore(flags);
			mheap_fence(s);
			return;
		}
		mheap_free(s);
		arch_irq_restore(flags);
		return;
	}
	uint64_t bit = 1ULL << (i % 64);
	if (__atomic_fetch_or(&s->freedBits[i / 64], bit, __ATOMIC_ACQ_REL) & bit)
		freed_pointer(OP_FREE, p);
	stat_add(&heapstats.small_free_count[sc], 1);
	int32_t n = __atomic_add_fetch(&s->nfreed, 1, __ATOMIC_ACQ_REL);
	if (n == 1 || (uint32_t)n >= __atomic_load_n(&s->allocCount, __ATOMIC_RELAXED))
		mcentral_freed(&mcentrals[s->spanclass], s, n);
	arch_irq_restore(flags);
}

size_t manual_usable_size(void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	if (p == 0)
		return 0;
	if (malloc_mode == MALLOC_SBRK)
		return ((size_t *)ptr)[-1];
	uint32_t i;
	struct mspan *s = manual_object(p, OP_SIZE, &i);
	return spanclass_size(s->spanclass) == 0 ? s->npages * HEAP_PAGE_SIZE : s->elemsize;
}

void *manual_realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return manual_alloc(size, MANUAL_ALIGN);
	if (size == 0) {
		manual_free(ptr);
		return NULL;
	}
	size_t have;
	if (malloc_mode == MALLOC_SBRK) {
		have = ((size_t *)ptr)[-1];
	} else {
		uint32_t i;
		struct mspan *s = manual_object((uintptr_t)ptr, OP_REALLOC, &i);
		have = spanclass_size(s->spanclass) == 0 ? s->npages * HEAP_PAGE_SIZE : s->elemsize;
		/* Keep the object when it still fits without wasting half. */
		if (malloc_mode == MALLOC_NORMAL && size <= have && size > have / 2)
			return ptr;
	}
	void *q = manual_alloc(size, MANUAL_ALIGN);
	if (q == NULL)
		return NULL;
	memcpy(q, ptr, size < have ? size : have);
	manual_free(ptr);
	return q;
}
