/*
 * The allocator's own metadata memory, all of it from the page allocator
 * and all of it counted in MemStats.Sys under Go's names:
 *
 *   sysalloc_pages   whole pages for big metadata (heap_arena: GCSys; arena
 *                    map second levels: OtherSys).
 *   persistentalloc  small pieces that are never freed, bumped out of 64 KiB
 *                    chunks as Go's persistentalloc: a chunk is charged to
 *                    OtherSys when taken and each piece moves to its own
 *                    statistic when handed out, so Sys stays exact.
 *   span structs     a free list of struct mspan (Go's fixalloc): MSpanSys
 *                    for the chunks, MSpanInuse for the structs handed out.
 *   span bitmaps     free lists of bitmap blocks by size in 64-bit words
 *                    (allocBits plus, for manual spans, freedBits): GCSys,
 *                    as Go's gcBits arenas.
 *
 * The free lists are protected by mheap_lock and refilled by meta_reserve
 * before the lock is taken, so that no allocator lock is ever held across
 * page_alloc (see malloc.h).
 */
#include <string.h>

#include "kernel/pagealloc.h"
#include "runtime/malloc.h"

#define PERSISTENT_CHUNK  (64 * 1024)
#define PERSISTENT_DIRECT (PERSISTENT_CHUNK / 4) /* bigger requests get their own pages */
#define SPAN_CHUNK        (16 * 1024)            /* span structs per refill */
#define BITS_CHUNK        4096                   /* bitmap blocks per refill */
#define CACHE_LINE        64

static struct {
	struct spinlock lock; /* interrupts off; protects cur and end */
	uintptr_t cur, end;   /* the unused rest of the current chunk */
} persistent = {.lock = SPINLOCK_INIT};

/* Free lists, protected by mheap_lock. */
static struct mspan *span_pool;
static size_t span_pool_count;
struct bits_block {
	struct bits_block *next;
};
static struct bits_block *bits_pool[MAX_BITMAP_WORDS + 1];

void *sysalloc_pages(size_t bytes, uint64_t *stat)
{
	size_t npages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa = page_alloc_zeroed(npages);
	if (pa == 0)
		throw_out_of_memory(npages * PAGE_SIZE);
	stat_add(stat, (int64_t)(npages * PAGE_SIZE));
	return (void *)(uintptr_t)pa;
}

void *persistentalloc(size_t size, size_t align, uint64_t *stat)
{
	if (size > PERSISTENT_DIRECT)
		return sysalloc_pages(size, stat);
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&persistent.lock);
		uintptr_t p = (persistent.cur + align - 1) & ~(uintptr_t)(align - 1);
		if (persistent.cur != 0 && p + size <= persistent.end) {
			persistent.cur = p + size;
			stat_add(&heapstats.other_sys, -(int64_t)size);
			stat_add(stat, (int64_t)size);
			spin_unlock_irqrestore(&persistent.lock, flags);
			return (void *)p;
		}
		spin_unlock_irqrestore(&persistent.lock, flags);
		/* The rest of the old chunk stays counted in OtherSys. */
		uintptr_t chunk = (uintptr_t)sysalloc_pages(PERSISTENT_CHUNK, &heapstats.other_sys);
		flags = spin_lock_irqsave(&persistent.lock);
		persistent.cur = chunk;
		persistent.end = chunk + PERSISTENT_CHUNK;
		spin_unlock_irqrestore(&persistent.lock, flags);
	}
}

bool meta_ready(size_t nspans, size_t words)
{
	return __atomic_load_n(&span_pool_count, __ATOMIC_RELAXED) >= nspans &&
	       (words == 0 || __atomic_load_n(&bits_pool[words], __ATOMIC_RELAXED) != NULL);
}

void meta_reserve(size_t nspans, size_t words)
{
	if (__atomic_load_n(&span_pool_count, __ATOMIC_RELAXED) < nspans) {
		char *chunk = persistentalloc(SPAN_CHUNK, CACHE_LINE, &heapstats.mspan_sys);
		unsigned long flags = spin_lock_irqsave(&mheap_lock);
		for (size_t off = 0; off + sizeof(struct mspan) <= SPAN_CHUNK;
		     off += sizeof(struct mspan)) {
			struct mspan *s = (struct mspan *)(chunk + off);
			s->next = span_pool;
			span_pool = s;
			__atomic_store_n(&span_pool_count, span_pool_count + 1, __ATOMIC_RELAXED);
		}
		spin_unlock_irqrestore(&mheap_lock, flags);
	}
	if (words != 0 && __atomic_load_n(&bits_pool[words], __ATOMIC_RELAXED) == NULL) {
		size_t block = words * sizeof(uint64_t);
		char *chunk = persistentalloc(BITS_CHUNK, sizeof(uint64_t), &heapstats.gc_sys);
		unsigned long flags = spin_lock_irqsave(&mheap_lock);
		for (size_t off = 0; off + block <= BITS_CHUNK; off += block) {
			struct bits_block *b = (struct bits_block *)(chunk + off);
			b->next = bits_pool[words];
			__atomic_store_n(&bits_pool[words], b, __ATOMIC_RELAXED);
		}
		spin_unlock_irqrestore(&mheap_lock, flags);
	}
}

struct mspan *mspan_alloc(void)
{
	struct mspan *s = span_pool;
	if (s == NULL)
		throw("mspan_alloc: no span struct reserved");
	span_pool = s->next;
	__atomic_store_n(&span_pool_count, span_pool_count - 1, __ATOMIC_RELAXED);
	memset(s, 0, sizeof *s);
	stat_add(&heapstats.mspan_inuse, sizeof *s);
	return s;
}

void mspan_free(struct mspan *s)
{
	__atomic_store_n(&s->state, SPAN_DEAD, __ATOMIC_RELEASE);
	s->next = span_pool;
	span_pool = s;
	__atomic_store_n(&span_pool_count, span_pool_count + 1, __ATOMIC_RELAXED);
	stat_add(&heapstats.mspan_inuse, -(int64_t)sizeof *s);
}

uint64_t *bits_alloc(size_t words)
{
	struct bits_block *b = bits_pool[words];
	if (b == NULL)
		throw("bits_alloc: no bitmap reserved");
	__atomic_store_n(&bits_pool[words], b->next, __ATOMIC_RELAXED);
	memset(b, 0, words * sizeof(uint64_t));
	return (uint64_t *)b;
}

void bits_free(uint64_t *bits, size_t words)
{
	struct bits_block *b = (struct bits_block *)bits;
	b->next = bits_pool[words];
	__atomic_store_n(&bits_pool[words], b, __ATOMIC_RELAXED);
}

struct mcache *mcache_struct_alloc(void)
{
	struct mcache *c = persistentalloc(sizeof *c, CACHE_LINE, &heapstats.mcache_sys);
	stat_add(&heapstats.mcache_inuse, sizeof *c);
	return c;
}
