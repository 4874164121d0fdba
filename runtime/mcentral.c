/*
 * Central free lists: one mcentral per span class, the spans of that class
 * that no mcache owns. An mcache whose span is full gives it back here
 * (uncache) and takes another with a free slot (cacheSpan), or a fresh span
 * from the page heap when there is none.
 *
 * Manual frees. free() of a small malloc object runs on any CPU and must
 * not touch a span another CPU's mcache is allocating from, so it only sets
 * the object's bit in the span's freedBits and counts it in nfreed (both
 * atomic). The space comes back at the span's next sweep, which happens
 * here, under the mcentral lock, only while no mcache owns the span: when
 * it is uncached and when it is taken from the partial list. A sweep folds
 * the slots below freeindex into allocBits (they were handed out), clears
 * the freed ones, recounts allocCount and restarts freeindex at 0, as Go's
 * sweeper does with the mark bits. A span left with no object goes back to
 * the page heap.
 *
 * So that freed space is found, free() calls mcentral_freed when its span
 * may need moving: on the first free since the last sweep (a full span
 * becomes partial) and when the span may have become empty (it is swept and
 * returned to the heap). A sweep subtracts what it folded from nfreed; a
 * free that sets its bit just before a sweep and increments nfreed just
 * after sees a count below 1 and leaves the span alone, which is right, as
 * the sweep already reclaimed its object.
 */
#include "runtime/malloc.h"

struct mcentral *mcentrals;

void mcentral_init(struct mcentral *c, unsigned spc)
{
	c->lock = (struct spinlock)SPINLOCK_INIT;
	c->spanclass = spc;
	c->partial.first = NULL;
	c->full.first = NULL;
}

/* The slots of word w below freeindex fi. */
static uint64_t below_mask(uint32_t fi, size_t w)
{
	if (fi >= (w + 1) * 64)
		return ~0ULL;
	if (fi <= w * 64)
		return 0;
	return (1ULL << (fi - w * 64)) - 1;
}

/* Folds the freed objects of manual span s into its allocation state. The
 * mcentral lock held, s not cached. */
static void sweep(struct mspan *s)
{
	if (s->freedBits == NULL)
		return;
	size_t words = span_bitmap_words(s->nelems);
	uint32_t fi = s->freeindex;
	int32_t freed = 0;
	uint32_t count = 0;
	for (size_t w = 0; w < words; w++) {
		uint64_t f = __atomic_exchange_n(&s->freedBits[w], 0, __ATOMIC_ACQ_REL);
		uint64_t a = (s->allocBits[w] | below_mask(fi, w)) & ~f;
		__atomic_store_n(&s->allocBits[w], a, __ATOMIC_RELAXED);
		freed += __builtin_popcountll(f);
		count += (uint32_t)__builtin_popcountll(a);
	}
	if (freed != 0)
		s->needzero = true;
	__atomic_store_n(&s->allocCount, count, __ATOMIC_RELAXED);
	/* After allocBits: a concurrent free() must never see an object
	 * handed out since the last sweep as unallocated. */
	__atomic_store_n(&s->freeindex, 0, __ATOMIC_RELEASE);
	__atomic_fetch_sub(&s->nfreed, freed, __ATOMIC_ACQ_REL);
	span_refill_alloc_cache(s);
}

struct mspan *mcentral_cache_span(struct mcentral *c, unsigned long irqflags)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	struct mspan *s;
	while ((s = c->partial.first) != NULL) {
		spanlist_remove(&c->partial, s);
		sweep(s);
		if (s->allocCount == s->nelems) {
			s->list = SPAN_LIST_FULL;
			spanlist_insert(&c->full, s);
			continue;
		}
		s->list = SPAN_LIST_CACHED;
		spin_unlock_irqrestore(&c->lock, flags);
		return s;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	unsigned sc = spanclass_size(c->spanclass);
	s = mheap_alloc(sizeclasses[sc].npages, 1, c->spanclass, 0, irqflags);
	s->list = SPAN_LIST_CACHED;
	return s;
}

void mcentral_uncache_span(struct mcentral *c, struct mspan *s)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	sweep(s);
	if (s->allocCount == 0 && s->freedBits != NULL) {
		s->list = SPAN_LIST_NONE;
		spin_unlock_irqrestore(&c->lock, flags);
		mheap_free(s);
		return;
	}
	if (s->allocCount < s->nelems) {
		s->list = SPAN_LIST_PARTIAL;
		spanlist_insert(&c->partial, s);
	} else {
		s->list = SPAN_LIST_FULL;
		spanlist_insert(&c->full, s);
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

void mcentral_freed(struct mcentral *c, struct mspan *s, int32_t nfreed)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	/* s may have been swept empty, returned to the heap and reused since
	 * the caller set its bit: act only on a span of this class in one of
	 * this mcentral's lists. */
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SPAN_INUSE ||
	    s->spanclass != c->spanclass ||
	    (s->list != SPAN_LIST_FULL && s->list != SPAN_LIST_PARTIAL)) {
		spin_unlock_irqrestore(&c->lock, flags);
		return;
	}
	if (s->list == SPAN_LIST_FULL) {
		spanlist_remove(&c->full, s);
		s->list = SPAN_LIST_PARTIAL;
		spanlist_insert(&c->partial, s);
	}
	if ((uint32_t)nfreed >= s->allocCount) {
		sweep(s);
		if (s->allocCount == 0) {
			spanlist_remove(&c->partial, s);
			s->list = SPAN_LIST_NONE;
			spin_unlock_irqrestore(&c->lock, flags);
			mheap_free(s);
			return;
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
}
