/*
 * The page allocator's bookkeeping, free of any kernel dependency so the
 * host unit test (tests/unit/pagealloc_test.c) runs it as it is; pagealloc.c
 * adds the locks, the per-CPU caches' placement and the fatal errors.
 *
 * Planning. pa_plan turns the memory map into the pages the allocator may
 * own ("usable" ranges: RAM minus every reserved or image region, each
 * rounded outward to pages, minus the first MiB of the physical address
 * space) and into arenas: one per contiguous stretch of RAM, trimmed to its
 * usable pages, at most PA_ARENA_MAX_PAGES long. A run of pages never
 * crosses an arena. Holes inside an arena (a firmware table, the image)
 * are simply pages the allocator does not own.
 *
 * Arenas. Each arena keeps three bitmaps, one bit per page: owned (the
 * allocator owns the page), free (free in the arena) and cached (sitting in
 * some per-CPU cache: counted free, but not free in the arena). On top of
 * the free bitmap sits a radix tree of summaries, after the one in Go's
 * page allocator: a leaf summarizes a chunk of PA_CHUNK_PAGES pages, a
 * summary at the next level up summarizes PA_FANOUT summaries below it,
 * and the top level has at most PA_FANOUT entries. A summary holds three
 * run lengths in pages: the free run at the start of its span, the longest
 * free run inside it, and the free run at its end. Finding the first run of
 * n free pages (address-ordered first fit, the lowest run wins) walks the
 * top level, carrying the run that crosses from one entry into the next,
 * and descends into the first entry whose longest run is at least n; at a
 * leaf the chunk's bitmap words are scanned. Allocating or freeing
 * recomputes the leaves it touched and their ancestors, stopping at the
 * first level where nothing changed. A hint (the first chunk that may hold
 * a free page) makes single-page searches start past the full prefix.
 *
 * Per-CPU caches. A pa_cache is a stack of single pages owned by one CPU:
 * pa_cache_pop and pa_cache_push work without the arena lock (the caller
 * holds only the cache's own lock), refill and flush move pages between a
 * cache and the arenas in batches under the arena lock. Double frees are
 * detected exactly: a page being freed must be owned, not free and not
 * cached. Because pushes check the free and cached bits without the arena
 * lock, the bitmaps are read and written with atomics, and every transition
 * orders its two bit updates (see the comments at each) so that two
 * concurrent frees of one page cannot both succeed.
 *
 * Locking. pa_heap_add, pa_alloc, pa_free, pa_cache_refill and
 * pa_cache_flush need the caller's arena lock (one lock for the whole
 * pa_heap); refill and flush also the lock of the cache they fill or
 * empty. pa_cache_pop and pa_cache_push need only the lock of their cache.
 * pa_plan and pa_heap_init run before anything else. Counters:
 * pa_heap.free_pages, allocs and frees change under the arena lock, a
 * cache's n, allocs and frees under the cache's lock; the free pages are
 * pa_heap.free_pages plus every cache's n.
 */
#ifndef GORT_KERNEL_PAGEALLOC_CORE_H
#define GORT_KERNEL_PAGEALLOC_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/memmap.h"
#include "kernel/pagealloc.h"

/* The first MiB of the physical address space is never handed out: the PC
 * keeps its real-mode data there (IVT, BIOS data, EBDA, ROMs) and the x86
 * AP trampoline, page 0 stays unmapped so nil dereferences fault, and 0 is
 * page_alloc's "no memory". Other machines put no RAM there. */
#define PA_LOW_RESERVED (1ULL << 20)

#define PA_CHUNK_PAGES  512 /* pages per leaf summary */
#define PA_WORD_BITS    64
#define PA_CHUNK_WORDS  (PA_CHUNK_PAGES / PA_WORD_BITS)
#define PA_FANOUT       64 /* summaries per summary one level up */
#define PA_FANOUT_SHIFT 6

/* An arena spans at most 2^31 pages (8 TiB), so summaries fit 32 bits; its
 * leaves (at most 2^22) then need at most four levels (2^22, 2^16, 2^10,
 * 2^4 entries). Longer RAM is split into several arenas. */
#define PA_ARENA_MAX_PAGES (1ULL << 31)
#define PA_MAX_LEVELS      4
#define PA_MAX_ARENAS      MEMMAP_MAX_REGIONS
#define PA_MAX_RANGES      (2 * MEMMAP_MAX_REGIONS + 2)

/* A per-CPU cache holds up to PA_CACHE_PAGES single pages; a refill brings
 * it up to PA_CACHE_BATCH, and a full cache flushes down to
 * PA_CACHE_BATCH, so a CPU that only allocates or only frees takes the
 * arena lock once per PA_CACHE_BATCH pages. */
#define PA_CACHE_PAGES 64
#define PA_CACHE_BATCH 32

/* Physical byte range [base, end), page aligned. */
struct pa_range {
	uint64_t base, end;
};

/* What the allocator will own (usable) and how it groups it (arenas), and
 * how many bytes of bitmaps and summaries the arenas need. dropped counts
 * usable pages left out because there were more than PA_MAX_ARENAS arenas. */
struct pa_plan {
	struct pa_range usable[PA_MAX_RANGES];
	int nusable;
	struct pa_range arena[PA_MAX_ARENAS];
	int narenas;
	size_t meta_bytes;
	uint64_t dropped_pages;
};

/* Run lengths, in pages, of one summary's span. */
struct pa_sum {
	uint32_t start, max, end;
};

struct pa_arena {
	uint64_t base;                     /* physical address of the arena's page 0 */
	uint64_t npages;                   /* pages spanned, owned or not */
	uint64_t nchunks;                  /* leaves */
	uint64_t *owned;                   /* set at pa_heap_add; read without the lock */
	uint64_t *free;                    /* written under the arena lock, read without it */
	uint64_t *cached;                  /* atomic read-modify-writes only */
	struct pa_sum *sum[PA_MAX_LEVELS]; /* sum[0]: leaves */
	uint64_t nsum[PA_MAX_LEVELS];
	int levels;
	uint64_t hint;       /* no free page in chunks below this one */
	uint64_t free_pages; /* set bits in free */
};

/* Everything below changes under the arena lock. */
struct pa_heap {
	struct pa_arena arena[PA_MAX_ARENAS];
	int narenas;
	uint64_t total_pages; /* owned pages */
	uint64_t free_pages;  /* free in the arenas (cached pages not included) */
	uint64_t allocs;      /* successful pa_alloc calls */
	uint64_t frees;       /* successful pa_free calls */
};

/* A per-CPU cache of single pages; page[n - 1] is handed out next. */
struct pa_cache {
	uint32_t n;
	uint64_t allocs; /* pages popped */
	uint64_t frees;  /* pages pushed */
	uint64_t page[PA_CACHE_PAGES];
};

enum pa_status {
	PA_OK,
	PA_DOUBLE_FREE, /* a page of the run is free already (or cached) */
	PA_NOT_OWNED,   /* a page of the run is not the allocator's */
};

/* Fills p from the memory map. */
void pa_plan(const struct memmap_region *m, int n, struct pa_plan *p);

/* Lays the arenas of plan out in meta (p->meta_bytes bytes, 8-byte
 * aligned), zeroing it; nothing is owned yet. */
void pa_heap_init(struct pa_heap *h, const struct pa_plan *p, void *meta);

/* Gives the allocator the pages of [base, end) (page aligned; a usable
 * range of the plan or part of one) that it does not own yet, as free
 * pages; returns how many pages it gained. */
uint64_t pa_heap_add(struct pa_heap *h, uint64_t base, uint64_t end);

/* The lowest run of npages (>= 1) free pages, now allocated; 0 if none. */
uint64_t pa_alloc(struct pa_heap *h, uint64_t npages);

/* Frees [pa, pa + npages * PAGE_SIZE); on an error nothing changes and
 * *bad is the lowest page at fault. */
enum pa_status pa_free(struct pa_heap *h, uint64_t pa, uint64_t npages, uint64_t *bad);

/* Pops a page from c (0 if c is empty). Cache lock only. */
uint64_t pa_cache_pop(struct pa_heap *h, struct pa_cache *c);

/* Pushes the page pa onto c, which must have room. Cache lock only. */
enum pa_status pa_cache_push(struct pa_heap *h, struct pa_cache *c, uint64_t pa);

/* Moves up to PA_CACHE_BATCH - c->n free pages, lowest first, from the
 * arenas into c. Both locks. Returns PA_DOUBLE_FREE only when a concurrent
 * push of one of the pages taken (a double free in progress) is seen. */
enum pa_status pa_cache_refill(struct pa_heap *h, struct pa_cache *c, uint64_t *bad);

/* Moves the oldest pages of c back to the arenas until c holds at most
 * keep. Both locks. */
void pa_cache_flush(struct pa_heap *h, struct pa_cache *c, uint32_t keep);

#endif
