/*
 * Go's heap allocator in C: the shared declarations of its parts. Each part
 * has its own file and its own header essay; malloc.c has the overview.
 *
 *   sizeclasses.c  the size-class table
 *   arena.c        heap arenas and the span lookup (address -> mspan, O(1))
 *   persistent.c   metadata memory: persistentalloc, fixalloc, span bitmaps
 *   mheap.c        the page heap: free page runs, growth, spans
 *   mcentral.c     per-span-class lists of spans, and manual frees
 *   mcache.c       the per-CPU cache and its refill
 *   malloc.c       gort_new, the tiny allocator, large objects, manual
 *                  objects, efence and sbrk, out of memory
 *   mstats.c       the counters and runtime_ReadMemStats
 *   libc_malloc.c  malloc, free and friends on top of the manual objects
 *
 * Locks, outermost first: mcentral.lock, mheap.lock, then the leaf locks
 * (arena map, persistentalloc). All are taken with interrupts off. None is
 * ever held across a call into kernel/ that may wait for another CPU
 * (page_alloc, vm_map, vm_reserve, vm_unmap): runtime_ReadMemStats parks
 * every other CPU in an IPI handler, and a CPU can be parked only at such a
 * call, never while holding an allocator lock (mstats.c).
 */
#ifndef GORT_RUNTIME_MALLOC_H
#define GORT_RUNTIME_MALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/spinlock.h"
#include "runtime/sizeclasses.h"
#include "runtime/throw.h"

/* ---- arenas (arena.c) ------------------------------------------------ */

#define ARENA_SHIFT     26 /* 64 MiB arenas, as Go on 64-bit */
#define ARENA_SIZE      ((uintptr_t)1 << ARENA_SHIFT)
#define PAGES_PER_ARENA (ARENA_SIZE / HEAP_PAGE_SIZE)
#define HEAP_ADDR_BITS  48 /* every address the kernel's tables can map */
#define ARENA_L1_BITS   10
#define ARENA_L2_BITS   (HEAP_ADDR_BITS - ARENA_SHIFT - ARENA_L1_BITS)

struct mspan;

/* The metadata of one arena. spans[i] is the span of the arena's heap page
 * i: every page of an in-use span points at it; a free page run sets only
 * its first and last page (enough to coalesce); any other entry may be
 * stale. Written under mheap.lock, read without locks. */
struct heap_arena {
	struct mspan *spans[PAGES_PER_ARENA];
	uintptr_t zeroed_base; /* pages at offsets >= this were never handed out (mheap.lock) */
};

extern struct heap_arena **arena_l1[1 << ARENA_L1_BITS];

/* The arena containing address p, or NULL. Lock-free: arena entries are
 * published with release order and never removed. */
static inline struct heap_arena *arena_of(uintptr_t p)
{
	if (p >> HEAP_ADDR_BITS)
		return NULL;
	uintptr_t i = p >> ARENA_SHIFT;
	struct heap_arena **l2 = __atomic_load_n(&arena_l1[i >> ARENA_L2_BITS], __ATOMIC_ACQUIRE);
	if (l2 == NULL)
		return NULL;
	return __atomic_load_n(&l2[i & ((1UL << ARENA_L2_BITS) - 1)], __ATOMIC_ACQUIRE);
}

static inline size_t arena_page(uintptr_t p)
{
	return (p >> HEAP_PAGE_SHIFT) & (PAGES_PER_ARENA - 1);
}

/* The span table entry of the page containing p (possibly stale), or NULL
 * outside the arenas. */
static inline struct mspan *span_entry(uintptr_t p)
{
	struct heap_arena *ha = arena_of(p);
	return ha != NULL ? __atomic_load_n(&ha->spans[arena_page(p)], __ATOMIC_ACQUIRE) : NULL;
}

/* The in-use span containing p, or NULL (p outside the heap, in a free page
 * run, or in a span freed under GODEBUG=efence=1). O(1). */
struct mspan *span_of(uintptr_t p);

/* Creates the metadata of every arena in the reserved range [base, base +
 * bytes) (ARENA_SIZE aligned) and publishes it in the arena map. Called
 * with no allocator lock held. */
void arena_register(uintptr_t base, size_t bytes);

/* Points the span table entries of npages heap pages from base at s.
 * mheap.lock held. */
void spans_set(uintptr_t base, size_t npages, struct mspan *s);

/* ---- spans ---------------------------------------------------------- */

/* What a span's objects are: a span class is a size class and a kind. */
enum span_kind {
	SPAN_SCAN,   /* gort_new: scanned by the collector */
	SPAN_NOSCAN, /* gort_new_noscan: pointer-free */
	SPAN_MANUAL, /* malloc: freed by hand, always scanned */
	SPAN_KINDS
};

#define NUM_SPAN_CLASSES (NUM_SIZE_CLASSES * SPAN_KINDS)

static inline unsigned make_spanclass(unsigned sizeclass, enum span_kind kind)
{
	return sizeclass * SPAN_KINDS + kind;
}
static inline unsigned spanclass_size(unsigned spc)
{
	return spc / SPAN_KINDS;
}
static inline enum span_kind spanclass_kind(unsigned spc)
{
	return (enum span_kind)(spc % SPAN_KINDS);
}

enum span_state {
	SPAN_DEAD,   /* a struct not describing memory (in fixalloc's free list) */
	SPAN_FREE,   /* a free page run in the page heap */
	SPAN_INUSE,  /* holding objects */
	SPAN_FENCED, /* GODEBUG=efence=1: freed, unmapped, never reused */
};

/* Where a span of objects is, for its mcentral. */
enum span_list {
	SPAN_LIST_NONE,
	SPAN_LIST_PARTIAL, /* in mcentral.partial: has or may have free slots */
	SPAN_LIST_FULL,    /* in mcentral.full */
	SPAN_LIST_CACHED,  /* owned by an mcache */
};

/*
 * A span: npages contiguous heap pages, either a free run of the page heap
 * or in use for objects of one span class (class 0: one large object).
 *
 * Allocation state (small spans), as in Go: object i is allocated iff
 * i < freeindex or bit i of allocBits is set. An mcache allocates from the
 * span it caches without locks, by advancing freeindex; allocCache holds
 * the complement of the allocBits word at freeindex, shifted so that bit 0
 * is slot freeindex. Manual (malloc) spans also have freedBits: objects
 * freed since the span was last swept. free() sets them from any CPU with
 * atomics; a sweep (mcentral.c, when the span is not cached) folds them
 * into allocBits and resets freeindex.
 */
struct mspan {
	struct mspan *next, *prev; /* free list (mheap.lock) or mcentral list (its lock) */
	uintptr_t base;            /* first byte */
	size_t npages;             /* heap pages */
	uintptr_t limit;           /* end of the last object */
	size_t elemsize;           /* object size; a large span's whole size */
	uint8_t state;             /* enum span_state; written under mheap.lock (atomic) */
	uint8_t spanclass;
	uint8_t list;  /* enum span_list (mcentral.lock) */
	bool needzero; /* the free slots may hold old data */
	uint32_t nelems;
	uint32_t divmul;
	/* Allocation: written by the owning mcache while cached, under
	 * mcentral.lock otherwise; read by free() with atomic loads. */
	uint32_t freeindex;
	uint32_t allocCount;            /* objects allocated */
	uint32_t allocCountBeforeCache; /* allocCount when cached (stats) */
	uint64_t allocCache;
	uint64_t *allocBits;
	uint64_t *freedBits; /* manual spans; atomic */
	int32_t nfreed;      /* bits set in freedBits, roughly (atomic; see mcentral.c) */
	uint32_t largefreed; /* large manual object: free() began (atomic; 32-bit for riscv64) */
};

static inline uintptr_t span_end(const struct mspan *s)
{
	return s->base + s->npages * HEAP_PAGE_SIZE;
}

static inline size_t span_bitmap_words(uint32_t nelems)
{
	return (nelems + 63) / 64;
}

/* Go's nextFreeFast: the next free slot from allocCache, or 0 when the
 * cache is exhausted (the caller takes the slow path). Owner only. */
static inline uintptr_t span_next_free_fast(struct mspan *s)
{
	uint64_t cache = s->allocCache;
	if (cache == 0)
		return 0;
	unsigned bit = (unsigned)__builtin_ctzll(cache);
	uint32_t result = s->freeindex + bit;
	if (result >= s->nelems)
		return 0;
	uint32_t next = result + 1;
	if (next % 64 == 0 && next != s->nelems)
		return 0;
	s->allocCache = (cache >> bit) >> 1;
	__atomic_store_n(&s->freeindex, next, __ATOMIC_RELAXED);
	/* Relaxed atomic stores: free() reads these from other CPUs. */
	__atomic_store_n(&s->allocCount, s->allocCount + 1, __ATOMIC_RELAXED);
	return s->base + (uintptr_t)result * s->elemsize;
}

/* Go's nextFreeIndex: advances freeindex to the next free slot and returns
 * it, or nelems when the span is full. Owner only. */
uint32_t span_next_free_index(struct mspan *s);

/* Loads allocCache from the allocBits word holding slot freeindex. */
void span_refill_alloc_cache(struct mspan *s);

/* ---- metadata (persistent.c) --------------------------------------- */

/* size bytes (align a power of two <= PAGE_SIZE) of zeroed memory that is
 * never freed, charged to *stat. Throws when memory runs out. No allocator
 * lock held. */
void *persistentalloc(size_t size, size_t align, uint64_t *stat);

/* Pages straight from the page allocator, zeroed, charged to *stat. */
void *sysalloc_pages(size_t bytes, uint64_t *stat);

/* Span structs and span bitmaps come from free lists under mheap.lock,
 * refilled (meta_reserve) before the lock is taken. meta_ready says
 * whether nspans structs and one bitmap block of words words are on hand;
 * meta_reserve makes it so (no lock held; the reserve may be consumed by
 * another CPU before the caller takes mheap.lock, so callers loop). */
bool meta_ready(size_t nspans, size_t words);
void meta_reserve(size_t nspans, size_t words);
struct mspan *mspan_alloc(void);                     /* mheap.lock */
void mspan_free(struct mspan *s);                    /* mheap.lock */
uint64_t *bits_alloc(size_t words);                  /* mheap.lock; zeroed */
void bits_free(uint64_t *bits, size_t words);        /* mheap.lock */
#define MAX_BITMAP_WORDS (2 * MAX_SPAN_OBJECTS / 64) /* allocBits + freedBits */

struct mcache;
struct mcache *mcache_struct_alloc(void);

/* ---- the page heap (mheap.c) ----------------------------------------- */

/* Interrupts off; protects the page heap's free runs and frontier, span
 * state changes, the span table, zeroed_base and the metadata free lists. */
extern struct spinlock mheap_lock;

/* A span of npages heap pages aligned to align_pages pages, initialized for
 * span class spc (a small class: nelems objects and bitmaps; class 0: one
 * object of size bytes), state in use. Grows the heap as needed; throws
 * when memory runs out. Interrupts off, no allocator lock; irqflags is the
 * interrupt state the allocation began with: vm.h wants interrupts on
 * around vm_map and vm_reserve (a CPU waiting for the address-space lock
 * must answer shootdowns), so growth turns them back on for those calls
 * when the allocation began with them on. An allocation in interrupt
 * context maps with interrupts off. */
struct mspan *mheap_alloc(size_t npages, size_t align_pages, unsigned spc, size_t size,
			  unsigned long irqflags);

/* Returns an in-use span's pages to the page heap. Interrupts off, no
 * mheap.lock. */
void mheap_free(struct mspan *s);

/* GODEBUG=efence=1: unmaps a freed large span; its addresses are never
 * reused and a later access faults. Interrupts on. */
void mheap_fence(struct mspan *s);

void mheap_init(void);

/* Prints Go's out-of-memory report and throws. */
_Noreturn void throw_out_of_memory(size_t bytes);

/* ---- central lists (mcentral.c) ------------------------------------- */

struct spanlist {
	struct mspan *first;
};

struct mcentral {
	struct spinlock lock; /* interrupts off; protects the lists and their spans' list,
				 allocBits, freeindex and allocCount while not cached */
	unsigned spanclass;
	struct spanlist partial; /* not cached, may have free slots */
	struct spanlist full;    /* not cached, no free slot when last swept */
};

void mcentral_init(struct mcentral *c, unsigned spc);
/* A span with a free slot for an mcache to own (irqflags: mheap_alloc). */
struct mspan *mcentral_cache_span(struct mcentral *c, unsigned long irqflags);
/* Takes back a span an mcache owned (full, or being flushed). */
void mcentral_uncache_span(struct mcentral *c, struct mspan *s);
/* A manual object was freed in s (its freedBits bit is set): makes the span
 * findable by cacheSpan, and returns it to the heap once it is empty. */
void mcentral_freed(struct mcentral *c, struct mspan *s, int32_t nfreed);

void spanlist_insert(struct spanlist *l, struct mspan *s);
void spanlist_remove(struct spanlist *l, struct mspan *s);

extern struct mcentral *mcentrals; /* NUM_SPAN_CLASSES of them (mallocinit) */

/* ---- per-CPU caches (mcache.c) -------------------------------------- */

/* Owned by one CPU, used with interrupts off; read by runtime_ReadMemStats
 * while its CPU is parked. */
struct mcache {
	struct mspan *alloc[NUM_SPAN_CLASSES]; /* the span each class allocates from */
	uintptr_t tiny;                        /* the current tiny block, or 0 */
	uintptr_t tinyoffset;                  /* bytes of it in use */
	uint64_t tinyAllocs;                   /* tiny objects not yet counted in heapstats */
};

extern struct mcache *mcaches[]; /* by cpu id */
extern struct mspan emptyspan;   /* an mcache's alloc[] entry before its first refill */

/* The slow path: the next object of class spc after refilling from the
 * central list if the cached span is full; *sp gets its span. Interrupts
 * off; irqflags as for mheap_alloc. While the heap grows, interrupts may be
 * on and a handler on this CPU may allocate from the same mcache: refill
 * leaves it consistent for that (see mcache.c). */
uintptr_t mcache_next_free(struct mcache *c, unsigned spc, struct mspan **sp,
			   unsigned long irqflags);
struct mcache *mcache_create(void);

/* ---- statistics (mstats.c) ------------------------------------------ */

/* Every counter is updated with atomic adds and read lock-free while the
 * other CPUs are parked (runtime_ReadMemStats). Bytes unless named
 * "count". */
struct heapstats {
	uint64_t heap_inuse;                          /* pages of in-use spans */
	uint64_t heap_free;                           /* mapped pages in free runs */
	uint64_t heap_released;                       /* (the scavenger's; 0 until it exists) */
	uint64_t small_alloc_count[NUM_SIZE_CLASSES]; /* objects, flushed from mcaches */
	uint64_t small_free_count[NUM_SIZE_CLASSES];
	uint64_t large_alloc, large_alloc_count;
	uint64_t large_free, large_free_count;
	uint64_t tiny_alloc_count;
	uint64_t mspan_inuse, mspan_sys;
	uint64_t mcache_inuse, mcache_sys;
	uint64_t gc_sys;    /* arena metadata and span bitmaps */
	uint64_t other_sys; /* arena maps, mcentrals, spare metadata, sbrk memory */
};

extern struct heapstats heapstats;

static inline void stat_add(uint64_t *stat, int64_t delta)
{
	__atomic_fetch_add(stat, (uint64_t)delta, __ATOMIC_RELAXED);
}

/* ---- debug modes (malloc.c) ----------------------------------------- */

enum malloc_mode {
	MALLOC_NORMAL,
	MALLOC_EFENCE, /* GODEBUG=efence=1 */
	MALLOC_SBRK,   /* GODEBUG=sbrk=1 */
};
extern enum malloc_mode malloc_mode;

/* The allocator's own entry points (libc_malloc.c puts the C names on
 * them; host tests call them directly). manual_alloc returns NULL only for
 * a size no machine could hold; align is a power of two. A pointer that is
 * not an allocated manual object is a fatal error in all but manual_alloc. */
void mallocinit(void);
void *manual_alloc(size_t size, size_t align);
void manual_free(void *p);
void *manual_realloc(void *p, size_t size);
size_t manual_usable_size(void *p);

#endif
