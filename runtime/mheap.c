/*
 * The page heap: runs of 8 KiB heap pages, handed out as spans.
 *
 * Address space. The heap reserves 64 MiB-aligned arenas from
 * vm_reserve(VM_REGION_HEAP) (arena.c keeps their metadata) and maps pages
 * only as it hands them out: a frontier [cur, end) is the unmapped rest of
 * the current reservation; growing the heap maps the next chunk of the
 * frontier (at least GROW_MIN_PAGES, so mapping costs little per span)
 * with vm_map, and adds it to the free runs. When the frontier is too
 * short, a new reservation continues it if it is contiguous (the usual
 * case) or replaces it; an abandoned tail costs address space only. So
 * every free run is mapped memory: HeapIdle is what free runs hold, Sys
 * counts only pages the heap really holds, and HeapReleased stays 0 until a
 * scavenger unmaps idle pages.
 *
 * Free runs. Each is an mspan in state SPAN_FREE on a free list: free[n]
 * holds runs of exactly n pages (n < HEAP_FREE_LISTS), free[0] the longer
 * ones; freemask says which lists are non-empty, so a small request finds
 * its list with a bit scan, and a long one takes the best fit of free[0].
 * A request carves its span out of the run; the rest stays free. Freeing a
 * span coalesces it with free neighbours found through the span table
 * (the page before its base and the page at its end: a free run keeps its
 * first and last table entries current).
 *
 * Zeroing, as Go's zeroedBase: each arena remembers the highest offset it
 * ever handed out; pages above it are still as vm_map left them (zero), so
 * a span there needs no clearing and a span below it does (needzero).
 *
 * Locking: mheap_lock (interrupts off) protects everything here. It is never
 * held across vm_reserve, vm_map, vm_unmap or page_alloc: growth claims its
 * piece of the frontier under the lock, maps it without the lock, and
 * inserts it under the lock again (malloc.h says why). vm_reserve and
 * vm_map are called with interrupts as the allocation found them (on,
 * unless it runs in an interrupt handler), as vm.h asks.
 */
#include <string.h>

#include "kernel/console.h"
#include "kernel/pagealloc.h"
#include "kernel/vm.h"
#include "runtime/malloc.h"
#include "runtime/proc.h"

#define HEAP_FREE_LISTS 128
#define FREEMASK_WORDS  (HEAP_FREE_LISTS / 64)
#define GROW_MIN_PAGES  32 /* 256 KiB */
/* Span structs one carve or insert may take: two remainders of a run. */
#define CARVE_SPANS 2

struct spinlock mheap_lock = SPINLOCK_INIT;

static struct {
	struct spanlist free[HEAP_FREE_LISTS];
	uint64_t freemask[FREEMASK_WORDS];
	uintptr_t cur, end; /* the frontier: reserved, not yet mapped */
} mheap;

void spanlist_insert(struct spanlist *l, struct mspan *s)
{
	s->prev = NULL;
	s->next = l->first;
	if (l->first != NULL)
		l->first->prev = s;
	l->first = s;
}

void spanlist_remove(struct spanlist *l, struct mspan *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		l->first = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

_Noreturn void throw_out_of_memory(size_t bytes)
{
	uint64_t sys = __atomic_load_n(&heapstats.heap_inuse, __ATOMIC_RELAXED) +
		       __atomic_load_n(&heapstats.heap_free, __ATOMIC_RELAXED);
	console_printf("runtime: out of memory: cannot allocate %zu-byte block (%llu in use)\n",
		       bytes, (unsigned long long)sys);
	throw("runtime: out of memory");
}

static unsigned free_list_index(size_t npages)
{
	return npages < HEAP_FREE_LISTS ? (unsigned)npages : 0;
}

/* Puts free run s on its list and makes its first and last table entries
 * current. mheap_lock held. */
static void free_list_add(struct mspan *s)
{
	unsigned i = free_list_index(s->npages);
	spanlist_insert(&mheap.free[i], s);
	mheap.freemask[i / 64] |= 1ULL << (i % 64);
	spans_set(s->base, 1, s);
	spans_set(span_end(s) - HEAP_PAGE_SIZE, 1, s);
}

static void free_list_remove(struct mspan *s)
{
	unsigned i = free_list_index(s->npages);
	spanlist_remove(&mheap.free[i], s);
	if (mheap.free[i].first == NULL)
		mheap.freemask[i / 64] &= ~(1ULL << (i % 64));
}

/* Whether free run s holds npages pages aligned to align_pages; *start
 * gets their base. */
static bool run_fits(const struct mspan *s, size_t npages, size_t align_pages, uintptr_t *start)
{
	uintptr_t align = align_pages * HEAP_PAGE_SIZE;
	uintptr_t base = (s->base + align - 1) & ~(align - 1);
	if (base + npages * HEAP_PAGE_SIZE > span_end(s))
		return false;
	*start = base;
	return true;
}

/* The first non-empty exact-size list at or above npages (never free[0]),
 * or 0. */
static unsigned first_small_list(size_t npages)
{
	for (size_t w = npages / 64; w < FREEMASK_WORDS; w++) {
		uint64_t m = mheap.freemask[w];
		if (w == npages / 64)
			m &= ~0ULL << (npages % 64);
		if (w == 0)
			m &= ~1ULL;
		if (m != 0)
			return (unsigned)(w * 64 + (size_t)__builtin_ctzll(m));
	}
	return 0;
}

/* A free run holding npages pages aligned to align_pages, or NULL. */
static struct mspan *find_run(size_t npages, size_t align_pages, uintptr_t *start)
{
	if (npages < HEAP_FREE_LISTS) {
		if (align_pages == 1) {
			unsigned i = first_small_list(npages);
			if (i != 0) {
				*start = mheap.free[i].first->base;
				return mheap.free[i].first;
			}
		} else {
			for (size_t i = npages; i < HEAP_FREE_LISTS; i++)
				for (struct mspan *s = mheap.free[i].first; s != NULL; s = s->next)
					if (run_fits(s, npages, align_pages, start))
						return s;
		}
	}
	struct mspan *best = NULL;
	uintptr_t best_start = 0;
	for (struct mspan *s = mheap.free[0].first; s != NULL; s = s->next) {
		uintptr_t st;
		if (!run_fits(s, npages, align_pages, &st))
			continue;
		if (best == NULL || s->npages < best->npages ||
		    (s->npages == best->npages && s->base < best->base)) {
			best = s;
			best_start = st;
		}
	}
	*start = best_start;
	return best;
}

/* Takes [start, start + npages pages) out of free run s, which becomes
 * that span; the rest stays free. mheap_lock held, CARVE_SPANS reserved. */
static void carve(struct mspan *s, uintptr_t start, size_t npages)
{
	free_list_remove(s);
	size_t front = (start - s->base) / HEAP_PAGE_SIZE;
	size_t back = s->npages - front - npages;
	if (front != 0) {
		struct mspan *t = mspan_alloc();
		t->base = s->base;
		t->npages = front;
		t->state = SPAN_FREE;
		free_list_add(t);
	}
	if (back != 0) {
		struct mspan *t = mspan_alloc();
		t->base = start + npages * HEAP_PAGE_SIZE;
		t->npages = back;
		t->state = SPAN_FREE;
		free_list_add(t);
	}
	s->base = start;
	s->npages = npages;
	stat_add(&heapstats.heap_free, -(int64_t)(npages * HEAP_PAGE_SIZE));
	stat_add(&heapstats.heap_inuse, (int64_t)(npages * HEAP_PAGE_SIZE));
}

/* Adds free run s, coalescing it with the free runs around it. mheap_lock
 * held. */
static void free_run_insert(struct mspan *s)
{
	struct mspan *t = span_entry(s->base - 1);
	if (t != NULL && t != s && t->state == SPAN_FREE && span_end(t) == s->base) {
		free_list_remove(t);
		s->base = t->base;
		s->npages += t->npages;
		mspan_free(t);
	}
	t = span_entry(span_end(s));
	if (t != NULL && t != s && t->state == SPAN_FREE && t->base == span_end(s)) {
		free_list_remove(t);
		s->npages += t->npages;
		mspan_free(t);
	}
	__atomic_store_n(&s->state, SPAN_FREE, __ATOMIC_RELEASE);
	free_list_add(s);
}

/* Go's allocNeedsZero: whether [base, base + npages pages) may hold old
 * data; raises the arenas' zeroed_base past it. mheap_lock held. */
static bool alloc_needs_zero(uintptr_t base, size_t npages)
{
	bool need = false;
	uintptr_t end = base + npages * HEAP_PAGE_SIZE;
	while (base < end) {
		struct heap_arena *ha = arena_of(base);
		uintptr_t arena_base = base & ~(ARENA_SIZE - 1);
		uintptr_t off = base - arena_base;
		uintptr_t limit = end - arena_base < ARENA_SIZE ? end - arena_base : ARENA_SIZE;
		if (off < ha->zeroed_base)
			need = true;
		if (limit > ha->zeroed_base)
			ha->zeroed_base = limit;
		base = arena_base + limit;
	}
	return need;
}

static size_t span_words(unsigned spc)
{
	unsigned sc = spanclass_size(spc);
	if (sc == 0)
		return 0;
	size_t w = span_bitmap_words(sizeclasses[sc].nelems);
	return spanclass_kind(spc) == SPAN_MANUAL ? 2 * w : w;
}

/* Makes carved span s an in-use span of class spc. mheap_lock held. */
static void init_span(struct mspan *s, unsigned spc, size_t size)
{
	unsigned sc = spanclass_size(spc);
	s->spanclass = (uint8_t)spc;
	s->needzero = alloc_needs_zero(s->base, s->npages);
	s->list = SPAN_LIST_NONE;
	s->freeindex = 0;
	s->allocCount = 0;
	s->allocCountBeforeCache = 0;
	s->nfreed = 0;
	s->largefreed = 0;
	s->next = s->prev = NULL;
	if (sc == 0) {
		s->elemsize = s->npages * HEAP_PAGE_SIZE;
		s->nelems = 1;
		s->divmul = 0;
		s->limit = s->base + size;
		s->allocBits = s->freedBits = NULL;
		s->allocCache = 0;
	} else {
		const struct sizeclass *c = &sizeclasses[sc];
		s->elemsize = c->size;
		s->nelems = c->nelems;
		s->divmul = c->divmul;
		s->limit = s->base + (uintptr_t)c->nelems * c->size;
		s->allocBits = bits_alloc(span_words(spc));
		s->freedBits = spanclass_kind(spc) == SPAN_MANUAL
				   ? s->allocBits + span_bitmap_words(c->nelems)
				   : NULL;
		span_refill_alloc_cache(s);
	}
	spans_set(s->base, s->npages, s);
	__atomic_store_n(&s->state, SPAN_INUSE, __ATOMIC_RELEASE);
}

/* Reserves span structs and a bitmap, then takes mheap_lock. */
static unsigned long lock_with_meta(size_t nspans, size_t words)
{
	for (;;) {
		if (!meta_ready(nspans, words))
			meta_reserve(nspans, words);
		unsigned long flags = spin_lock_irqsave(&mheap_lock);
		if (meta_ready(nspans, words))
			return flags;
		spin_unlock_irqrestore(&mheap_lock, flags);
	}
}

/* Maps at least need_pages more pages at the frontier and adds them to the
 * free runs. No lock held; throws when memory or address space runs out.
 * Interrupts are on while it maps (other CPUs' shootdowns need them) but
 * preemption stays off: the caller's mcache belongs to this CPU. */
static void mheap_grow(size_t need_pages, unsigned long irqflags)
{
	size_t pages = need_pages > GROW_MIN_PAGES ? need_pages : GROW_MIN_PAGES;
	size_t bytes = pages * HEAP_PAGE_SIZE;
	if (need_pages > SIZE_MAX / HEAP_PAGE_SIZE - ARENA_SIZE)
		throw_out_of_memory(SIZE_MAX);
	unsigned long flags = spin_lock_irqsave(&mheap_lock);
	while (mheap.end - mheap.cur < bytes) {
		spin_unlock_irqrestore(&mheap_lock, flags);
		size_t rbytes = (bytes + ARENA_SIZE - 1) & ~(ARENA_SIZE - 1);
		preempt_disable(); /* this CPU's mcache is mid-refill */
		arch_irq_restore(irqflags);
		uintptr_t va = vm_reserve(VM_REGION_HEAP, rbytes, ARENA_SIZE);
		arch_irq_save();
		preempt_enable();
		if (va == 0)
			throw_out_of_memory(need_pages * HEAP_PAGE_SIZE);
		arena_register(va, rbytes);
		flags = spin_lock_irqsave(&mheap_lock);
		if (va == mheap.end && mheap.end != 0) {
			mheap.end += rbytes;
		} else if (mheap.end - mheap.cur < rbytes) {
			mheap.cur = va;
			mheap.end = va + rbytes;
		}
		/* Otherwise another CPU extended the frontier meanwhile and
		 * this reservation stays unused. */
	}
	uintptr_t base = mheap.cur;
	mheap.cur += bytes;
	spin_unlock_irqrestore(&mheap_lock, flags);

	preempt_disable();
	arch_irq_restore(irqflags);
	bool mapped = vm_map(base, bytes, VM_READ | VM_WRITE);
	if (!mapped && pages != need_pages) {
		bytes = need_pages * HEAP_PAGE_SIZE;
		mapped = vm_map(base, bytes, VM_READ | VM_WRITE);
	}
	arch_irq_save();
	preempt_enable();
	if (!mapped)
		throw_out_of_memory(bytes);
	flags = lock_with_meta(1, 0);
	struct mspan *s = mspan_alloc();
	s->base = base;
	s->npages = bytes / HEAP_PAGE_SIZE;
	stat_add(&heapstats.heap_free, (int64_t)bytes);
	free_run_insert(s);
	spin_unlock_irqrestore(&mheap_lock, flags);
}

struct mspan *mheap_alloc(size_t npages, size_t align_pages, unsigned spc, size_t size,
			  unsigned long irqflags)
{
	size_t words = span_words(spc);
	for (;;) {
		unsigned long flags = lock_with_meta(CARVE_SPANS, words);
		uintptr_t start;
		struct mspan *s = find_run(npages, align_pages, &start);
		if (s != NULL) {
			carve(s, start, npages);
			init_span(s, spc, size);
			spin_unlock_irqrestore(&mheap_lock, flags);
			return s;
		}
		spin_unlock_irqrestore(&mheap_lock, flags);
		if (npages > SIZE_MAX / 2 / HEAP_PAGE_SIZE - align_pages)
			throw_out_of_memory(SIZE_MAX);
		mheap_grow(npages + align_pages - 1, irqflags);
	}
}

void mheap_free(struct mspan *s)
{
	unsigned long flags = spin_lock_irqsave(&mheap_lock);
	if (s->allocBits != NULL)
		bits_free(s->allocBits, span_words(s->spanclass));
	s->allocBits = s->freedBits = NULL;
	stat_add(&heapstats.heap_inuse, -(int64_t)(s->npages * HEAP_PAGE_SIZE));
	stat_add(&heapstats.heap_free, (int64_t)(s->npages * HEAP_PAGE_SIZE));
	__atomic_store_n(&s->state, SPAN_FREE, __ATOMIC_RELEASE);
	free_run_insert(s);
	spin_unlock_irqrestore(&mheap_lock, flags);
}

void mheap_fence(struct mspan *s)
{
	unsigned long flags = spin_lock_irqsave(&mheap_lock);
	stat_add(&heapstats.heap_inuse, -(int64_t)(s->npages * HEAP_PAGE_SIZE));
	__atomic_store_n(&s->state, SPAN_FENCED, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&mheap_lock, flags);
	vm_unmap(s->base, s->npages * HEAP_PAGE_SIZE);
}

void mheap_init(void)
{
	memset(&mheap, 0, sizeof mheap);
}
