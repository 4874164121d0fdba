/*
 * The per-CPU cache: for each span class, one span this CPU allocates from
 * without any lock, as Go's per-P mcache (a P will own it once the
 * scheduler exists; until then the CPU does, and allocation runs with
 * interrupts off, so nothing else on the CPU can enter it).
 *
 * The fast path (span_next_free_fast, malloc.h) takes the next free slot
 * from the span's allocCache, a 64-bit window of its allocation bitmap:
 * a count-trailing-zeros, a shift and a few stores. When the window is
 * used up, span_next_free_index moves it along the bitmap; when the span is
 * full, refill hands it back to its mcentral and takes another one.
 *
 * Statistics, as Go's: the objects allocated from a span are counted when
 * the span leaves the cache (allocCount minus its value when cached), and
 * tiny objects are counted at refills; runtime_ReadMemStats adds what the
 * caches hold at that instant. refill leaves alloc[spc] pointing at
 * emptyspan while it may wait in the page heap, so a CPU parked there is
 * always counted consistently.
 *
 * Interrupts are off throughout, except while the page heap maps memory
 * (mheap_alloc): then a handler on this CPU may allocate too. The cache is
 * consistent at that point (the class being refilled points at emptyspan),
 * so the handler simply refills the class itself, and the interrupted
 * refill, finding the class refilled, returns its own span.
 */
#include "kernel/cpu.h"
#include "runtime/malloc.h"

struct mcache *mcaches[MAX_CPUS];

/* No free slot: the fast path fails and refill takes a real span. */
struct mspan emptyspan = {.state = SPAN_DEAD};

static uint64_t alloc_cache_word(const struct mspan *s, uint32_t slot)
{
	if (slot >= s->nelems)
		return 0;
	return ~s->allocBits[slot / 64];
}

void span_refill_alloc_cache(struct mspan *s)
{
	s->allocCache = alloc_cache_word(s, s->freeindex & ~63U) >> (s->freeindex % 64);
}

uint32_t span_next_free_index(struct mspan *s)
{
	uint32_t fi = s->freeindex, n = s->nelems;
	if (fi == n)
		return n;
	if (fi > n)
		throw("s.freeindex > s.nelems");
	uint64_t cache = s->allocCache;
	while (cache == 0) {
		fi = (fi + 64) & ~63U;
		if (fi >= n) {
			__atomic_store_n(&s->freeindex, n, __ATOMIC_RELAXED);
			return n;
		}
		cache = s->allocCache = alloc_cache_word(s, fi);
	}
	unsigned bit = (unsigned)__builtin_ctzll(cache);
	uint32_t result = fi + bit;
	if (result >= n) {
		__atomic_store_n(&s->freeindex, n, __ATOMIC_RELAXED);
		return n;
	}
	s->allocCache = (cache >> bit) >> 1;
	fi = result + 1;
	if (fi % 64 == 0 && fi != n)
		s->allocCache = alloc_cache_word(s, fi);
	__atomic_store_n(&s->freeindex, fi, __ATOMIC_RELAXED);
	return result;
}

/* Gives the full span of class spc back to its mcentral and caches one
 * with a free slot. */
static void refill(struct mcache *c, unsigned spc, unsigned long irqflags)
{
	struct mspan *s = c->alloc[spc];
	if (s != &emptyspan) {
		if (s->allocCount != s->nelems)
			throw("refill of span with free space remaining");
		stat_add(&heapstats.small_alloc_count[spanclass_size(spc)],
			 (int64_t)(s->allocCount - s->allocCountBeforeCache));
		c->alloc[spc] = &emptyspan;
		mcentral_uncache_span(&mcentrals[spc], s);
	}
	if (c->tinyAllocs != 0) {
		stat_add(&heapstats.tiny_alloc_count, (int64_t)c->tinyAllocs);
		c->tinyAllocs = 0;
	}
	s = mcentral_cache_span(&mcentrals[spc], irqflags);
	if (s->allocCount == s->nelems)
		throw("span has no free space");
	if (c->alloc[spc] != &emptyspan) {
		/* An interrupt handler allocated while the heap grew and
		 * refilled this class: keep its span, give ours back. */
		mcentral_uncache_span(&mcentrals[spc], s);
		return;
	}
	s->allocCountBeforeCache = s->allocCount;
	c->alloc[spc] = s;
}

uintptr_t mcache_next_free(struct mcache *c, unsigned spc, struct mspan **sp,
			   unsigned long irqflags)
{
	struct mspan *s = c->alloc[spc];
	uint32_t i = span_next_free_index(s);
	if (i == s->nelems) {
		if (s->allocCount != s->nelems)
			throw("s.allocCount != s.nelems && freeIndex == s.nelems");
		refill(c, spc, irqflags);
		s = c->alloc[spc];
		i = span_next_free_index(s);
		if (i >= s->nelems)
			throw("freeIndex is not valid");
	}
	__atomic_store_n(&s->allocCount, s->allocCount + 1, __ATOMIC_RELAXED);
	*sp = s;
	return s->base + (uintptr_t)i * s->elemsize;
}

struct mcache *mcache_create(void)
{
	struct mcache *c = mcache_struct_alloc();
	for (unsigned i = 0; i < NUM_SPAN_CLASSES; i++)
		c->alloc[i] = &emptyspan;
	c->tiny = 0;
	c->tinyoffset = 0;
	c->tinyAllocs = 0;
	return c;
}
