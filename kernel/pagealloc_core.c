/*
 * The page allocator's bookkeeping: planning from the memory map, the
 * per-arena bitmaps and summary tree, first-fit search, and the per-CPU
 * caches' batch moves. See pagealloc_core.h for the design; this file has
 * no lock and no kernel dependency (the host unit test links it as is).
 *
 * Inside an arena pages are numbered from 0 (the page at arena.base);
 * chunk c holds pages [c * PA_CHUNK_PAGES, (c + 1) * PA_CHUNK_PAGES), and
 * bitmap bits past the arena's last page stay zero (not owned, not free),
 * so a chunk's summary never runs past the arena. A summary at level l
 * spans level_pages(l) pages; summaries missing at the end of a level
 * count as fully allocated.
 */
#include "kernel/pagealloc_core.h"

#include <string.h>

#define NOT_FOUND UINT64_MAX
#define ALL_ONES  UINT64_MAX

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* ---- bitmaps ------------------------------------------------------------ */

/* The bits of word w = i / PA_WORD_BITS that [i, end) covers. */
static uint64_t range_mask(uint64_t i, uint64_t end)
{
	uint64_t lo = i % PA_WORD_BITS, span = min_u64(PA_WORD_BITS - lo, end - i);
	uint64_t ones = span == PA_WORD_BITS ? ALL_ONES : (1ULL << span) - 1;
	return ones << lo;
}

/* Advances i to the first bit of the next word, or to end. */
static uint64_t next_word(uint64_t i, uint64_t end)
{
	return min_u64((i / PA_WORD_BITS + 1) * PA_WORD_BITS, end);
}

static uint64_t load(const uint64_t *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED);
}

/* Sets (on) or clears bits [i, end) of bm. Only under the arena lock: the
 * word is read and written back, the store atomic so that lock-free
 * readers see either the old or the new word. */
static void bits_write(uint64_t *bm, uint64_t i, uint64_t end, bool on)
{
	for (; i < end; i = next_word(i, end)) {
		uint64_t *w = &bm[i / PA_WORD_BITS], m = range_mask(i, end);
		__atomic_store_n(w, on ? *w | m : *w & ~m, __ATOMIC_RELAXED);
	}
}

/* The first bit in [i, end) of bm that is set (want) or clear (!want);
 * end if none. */
static uint64_t bits_find(const uint64_t *bm, uint64_t i, uint64_t end, bool want)
{
	for (; i < end; i = next_word(i, end)) {
		uint64_t x = load(&bm[i / PA_WORD_BITS]);
		x = (want ? x : ~x) & range_mask(i, end);
		if (x != 0)
			return i / PA_WORD_BITS * PA_WORD_BITS + (uint64_t)__builtin_ctzll(x);
	}
	return end;
}

static bool bits_any(const uint64_t *bm, uint64_t i, uint64_t end)
{
	return bits_find(bm, i, end, true) != end;
}

/* ---- summaries ---------------------------------------------------------- */

static uint64_t level_pages(int level)
{
	return (uint64_t)PA_CHUNK_PAGES << (PA_FANOUT_SHIFT * level);
}

static bool sum_equal(struct pa_sum a, struct pa_sum b)
{
	return a.start == b.start && a.max == b.max && a.end == b.end;
}

/* The longest run of set bits in x. */
static uint32_t word_max_run(uint64_t x)
{
	uint32_t best = 0;
	while (x != 0) {
		x >>= __builtin_ctzll(x);
		/* x's low bits are a run of ones; its top bits are zero or x
		 * was not all ones to begin with, so ~x != 0. */
		uint32_t len = (uint32_t)__builtin_ctzll(~x);
		best = max_u32(best, len);
		x >>= len;
	}
	return best;
}

/* Accumulates pieces of a span left to right into a summary: whole
 * pieces of free pages, and pieces with a free run at their start, a
 * longest inner run, and a free run at their end. */
struct sum_builder {
	struct pa_sum s;
	uint32_t cur; /* the free run reaching the right edge so far */
	bool started; /* s.start is final */
};

static void build_full(struct sum_builder *b, uint32_t pages)
{
	b->cur += pages;
}

static void build_part(struct sum_builder *b, uint32_t start, uint32_t max, uint32_t end)
{
	b->cur += start;
	if (!b->started) {
		b->s.start = b->cur;
		b->started = true;
	}
	b->s.max = max_u32(b->s.max, max_u32(b->cur, max));
	b->cur = end;
}

static struct pa_sum build_done(struct sum_builder *b)
{
	if (!b->started)
		b->s.start = b->cur;
	b->s.max = max_u32(b->s.max, b->cur);
	b->s.end = b->cur;
	return b->s;
}

/* The summary of one chunk's free bitmap words. */
static struct pa_sum leaf_sum(const uint64_t *w)
{
	struct sum_builder b = {0};
	for (int i = 0; i < PA_CHUNK_WORDS; i++) {
		uint64_t x = w[i];
		if (x == ALL_ONES)
			build_full(&b, PA_WORD_BITS);
		else
			build_part(&b, (uint32_t)__builtin_ctzll(~x), word_max_run(x),
				   (uint32_t)__builtin_clzll(~x));
	}
	return build_done(&b);
}

/* The summary of k (<= PA_FANOUT) summaries of child_pages pages each,
 * followed by PA_FANOUT - k missing (allocated) ones. */
static struct pa_sum merge_sums(const struct pa_sum *c, uint64_t k, uint64_t child_pages)
{
	struct sum_builder b = {0};
	for (uint64_t i = 0; i < k; i++) {
		if (c[i].start == child_pages)
			build_full(&b, (uint32_t)child_pages);
		else
			build_part(&b, c[i].start, c[i].max, c[i].end);
	}
	if (k < PA_FANOUT)
		build_part(&b, 0, 0, 0);
	return build_done(&b);
}

/* Recomputes leaves [c0, c1] of a and their ancestors, stopping at the
 * first level where no summary changed. */
static void update(struct pa_arena *a, uint64_t c0, uint64_t c1)
{
	bool changed = false;
	for (uint64_t c = c0; c <= c1; c++) {
		struct pa_sum s = leaf_sum(&a->free[c * PA_CHUNK_WORDS]);
		if (!sum_equal(s, a->sum[0][c])) {
			a->sum[0][c] = s;
			changed = true;
		}
	}
	for (int l = 1; l < a->levels && changed; l++) {
		c0 >>= PA_FANOUT_SHIFT;
		c1 >>= PA_FANOUT_SHIFT;
		changed = false;
		for (uint64_t i = c0; i <= c1; i++) {
			uint64_t first = i << PA_FANOUT_SHIFT;
			uint64_t k = min_u64(PA_FANOUT, a->nsum[l - 1] - first);
			struct pa_sum s = merge_sums(&a->sum[l - 1][first], k, level_pages(l - 1));
			if (!sum_equal(s, a->sum[l][i])) {
				a->sum[l][i] = s;
				changed = true;
			}
		}
	}
}

/* ---- search ------------------------------------------------------------- */

/* The first run of n free pages inside chunk c (one exists). */
static uint64_t chunk_find(const struct pa_arena *a, uint64_t c, uint64_t n)
{
	uint64_t p = c * PA_CHUNK_PAGES, end = p + PA_CHUNK_PAGES;
	for (;;) {
		p = bits_find(a->free, p, end, true);
		if (p == end)
			return NOT_FOUND;
		uint64_t q = bits_find(a->free, p, end, false);
		if (q - p >= n)
			return p;
		p = q;
	}
}

/* The first page of the lowest run of n free pages in a, or NOT_FOUND.
 * At each level, entries are visited left to right with the free run
 * that reaches the current entry from the left (size pages from base): a
 * run crossing into an entry starts before any run inside it, so it is
 * checked first; otherwise the first entry holding a long enough run is
 * descended into. */
static uint64_t find(const struct pa_arena *a, uint64_t n)
{
	int l = a->levels - 1;
	uint64_t lo = a->hint >> (PA_FANOUT_SHIFT * l), hi = a->nsum[l];
	uint64_t size = 0, base = 0;
	for (;;) {
		uint64_t span = level_pages(l), i;
		for (i = lo; i < hi; i++) {
			struct pa_sum s = a->sum[l][i];
			if (size + s.start >= n)
				return size != 0 ? base : i * span;
			if (s.max >= n)
				break;
			if (s.start == span) {
				if (size == 0)
					base = i * span;
				size += span;
			} else {
				size = s.end;
				base = (i + 1) * span - s.end;
			}
		}
		if (i == hi)
			return NOT_FOUND;
		if (l == 0)
			return chunk_find(a, i, n);
		l--;
		lo = i << PA_FANOUT_SHIFT;
		hi = min_u64(lo + PA_FANOUT, a->nsum[l]);
		size = 0;
	}
}

static struct pa_arena *arena_of(struct pa_heap *h, uint64_t pa)
{
	for (int i = 0; i < h->narenas; i++) {
		struct pa_arena *a = &h->arena[i];
		if (pa >= a->base && (pa - a->base) / PAGE_SIZE < a->npages)
			return a;
	}
	return NULL;
}

/* The physical address of page p of a. */
static uint64_t page_addr(const struct pa_arena *a, uint64_t p)
{
	return a->base + p * PAGE_SIZE;
}

/* Marks pages [p, p + n) of a allocated (they are free). */
static void take(struct pa_heap *h, struct pa_arena *a, uint64_t p, uint64_t n)
{
	bits_write(a->free, p, p + n, false);
	a->free_pages -= n;
	h->free_pages -= n;
	update(a, p / PA_CHUNK_PAGES, (p + n - 1) / PA_CHUNK_PAGES);
}

uint64_t pa_alloc(struct pa_heap *h, uint64_t npages)
{
	if (npages == 0 || npages > h->free_pages)
		return 0;
	for (int i = 0; i < h->narenas; i++) {
		struct pa_arena *a = &h->arena[i];
		if (a->free_pages < npages)
			continue;
		uint64_t p = find(a, npages);
		if (p == NOT_FOUND)
			continue;
		take(h, a, p, npages);
		if (npages == 1)
			a->hint = p / PA_CHUNK_PAGES;
		h->allocs++;
		return page_addr(a, p);
	}
	return 0;
}

/* The lowest page of [p, p + npages) of a that cannot be freed, and why;
 * a run reaching past the arena fails at its first page past the end. */
static enum pa_status first_fault(const struct pa_arena *a, uint64_t p, uint64_t npages,
				  uint64_t *bad)
{
	uint64_t end = npages > a->npages - p ? a->npages : p + npages;
	for (; p < end; p++) {
		uint64_t w = p / PA_WORD_BITS, bit = 1ULL << (p % PA_WORD_BITS);
		*bad = page_addr(a, p);
		if (!(load(&a->owned[w]) & bit))
			return PA_NOT_OWNED;
		if ((load(&a->free[w]) | load(&a->cached[w])) & bit)
			return PA_DOUBLE_FREE;
	}
	*bad = page_addr(a, end);
	return PA_NOT_OWNED;
}

enum pa_status pa_free(struct pa_heap *h, uint64_t pa, uint64_t npages, uint64_t *bad)
{
	if (npages == 0)
		return PA_OK;
	if (pa % PAGE_SIZE != 0) {
		*bad = pa;
		return PA_NOT_OWNED;
	}
	struct pa_arena *a = arena_of(h, pa);
	if (a == NULL) {
		*bad = pa;
		return PA_NOT_OWNED;
	}
	uint64_t p = (pa - a->base) / PAGE_SIZE;
	if (npages > a->npages - p || bits_find(a->owned, p, p + npages, false) != p + npages ||
	    bits_any(a->free, p, p + npages) || bits_any(a->cached, p, p + npages))
		return first_fault(a, p, npages, bad);
	bits_write(a->free, p, p + npages, true);
	/* A push of one of these pages (a second free racing this one) set
	 * its cached bit before reading the free bit, or reads the free bit
	 * after this fence and sees it set: one of the two frees fails. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint64_t racing = bits_find(a->cached, p, p + npages, true);
	if (racing != p + npages) {
		bits_write(a->free, p, p + npages, false);
		*bad = page_addr(a, racing);
		return PA_DOUBLE_FREE;
	}
	a->free_pages += npages;
	h->free_pages += npages;
	h->frees++;
	a->hint = min_u64(a->hint, p / PA_CHUNK_PAGES);
	update(a, p / PA_CHUNK_PAGES, (p + npages - 1) / PA_CHUNK_PAGES);
	return PA_OK;
}

/* ---- per-CPU caches ----------------------------------------------------- */

uint64_t pa_cache_pop(struct pa_heap *h, struct pa_cache *c)
{
	if (c->n == 0)
		return 0;
	uint64_t pa = c->page[--c->n];
	struct pa_arena *a = arena_of(h, pa);
	uint64_t p = (pa - a->base) / PAGE_SIZE;
	__atomic_fetch_and(&a->cached[p / PA_WORD_BITS], ~(1ULL << (p % PA_WORD_BITS)),
			   __ATOMIC_RELEASE);
	c->allocs++;
	return pa;
}

enum pa_status pa_cache_push(struct pa_heap *h, struct pa_cache *c, uint64_t pa)
{
	struct pa_arena *a = pa % PAGE_SIZE == 0 ? arena_of(h, pa) : NULL;
	if (a == NULL)
		return PA_NOT_OWNED;
	uint64_t p = (pa - a->base) / PAGE_SIZE, w = p / PA_WORD_BITS;
	uint64_t bit = 1ULL << (p % PA_WORD_BITS);
	if (!(load(&a->owned[w]) & bit))
		return PA_NOT_OWNED;
	/* Cached first, then free: see pa_free, and pa_cache_flush, which
	 * sets the free bit before it clears the cached one. */
	if (__atomic_fetch_or(&a->cached[w], bit, __ATOMIC_SEQ_CST) & bit)
		return PA_DOUBLE_FREE;
	if (__atomic_load_n(&a->free[w], __ATOMIC_SEQ_CST) & bit) {
		__atomic_fetch_and(&a->cached[w], ~bit, __ATOMIC_RELAXED);
		return PA_DOUBLE_FREE;
	}
	c->page[c->n++] = pa;
	c->frees++;
	return PA_OK;
}

/* Moves up to room free pages of word w of a, among the bits in mask,
 * into got (lowest first); returns how many. A push racing for one of
 * them (a double free in progress) is reported through *st and *bad. */
static uint32_t refill_word(struct pa_arena *a, uint64_t w, uint64_t mask, uint32_t room,
			    uint64_t *got, enum pa_status *st, uint64_t *bad)
{
	uint64_t x = a->free[w] & mask, taken = 0;
	uint32_t n = 0;
	for (; x != 0 && n < room; x &= x - 1) {
		taken |= x & -x;
		got[n++] = page_addr(a, w * PA_WORD_BITS + (uint64_t)__builtin_ctzll(x));
	}
	if (taken == 0)
		return 0;
	/* Free cleared, then cached set: a push of one of these pages sees
	 * the free bit, or its own cached bit is seen here. */
	__atomic_store_n(&a->free[w], a->free[w] & ~taken, __ATOMIC_RELAXED);
	uint64_t raced = __atomic_fetch_or(&a->cached[w], taken, __ATOMIC_SEQ_CST) & taken;
	if (raced != 0 && *st == PA_OK) {
		*st = PA_DOUBLE_FREE;
		*bad = page_addr(a, w * PA_WORD_BITS + (uint64_t)__builtin_ctzll(raced));
	}
	return n;
}

enum pa_status pa_cache_refill(struct pa_heap *h, struct pa_cache *c, uint64_t *bad)
{
	uint64_t got[PA_CACHE_BATCH];
	uint32_t want = c->n < PA_CACHE_BATCH ? PA_CACHE_BATCH - c->n : 0, n = 0;
	enum pa_status st = PA_OK;
	for (int i = 0; i < h->narenas && n < want; i++) {
		struct pa_arena *a = &h->arena[i];
		while (n < want && a->free_pages > 0) {
			/* The first free page, then the free pages after it in
			 * its chunk. */
			uint64_t p = find(a, 1);
			if (p == NOT_FOUND)
				break;
			uint64_t chunk = p / PA_CHUNK_PAGES, end = (chunk + 1) * PA_CHUNK_PAGES;
			uint32_t before = n;
			for (uint64_t q = p; q < end && n < want; q = next_word(q, end))
				n += refill_word(a, q / PA_WORD_BITS, range_mask(q, end), want - n,
						 &got[n], &st, bad);
			a->free_pages -= n - before;
			h->free_pages -= n - before;
			a->hint = chunk;
			update(a, chunk, chunk);
		}
	}
	/* Highest first, so the lowest page is handed out first. */
	while (n > 0)
		c->page[c->n++] = got[--n];
	return st;
}

static void sort_pages(uint64_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		uint32_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void pa_cache_flush(struct pa_heap *h, struct pa_cache *c, uint32_t keep)
{
	if (c->n <= keep)
		return;
	uint32_t m = c->n - keep;
	uint64_t out[PA_CACHE_PAGES];
	memcpy(out, c->page, m * sizeof out[0]);
	memmove(c->page, c->page + m, keep * sizeof c->page[0]);
	c->n = keep;
	sort_pages(out, m);
	struct pa_arena *a = NULL;
	uint64_t chunk = NOT_FOUND;
	for (uint32_t i = 0; i < m; i++) {
		struct pa_arena *b = arena_of(h, out[i]);
		uint64_t p = (out[i] - b->base) / PAGE_SIZE, w = p / PA_WORD_BITS;
		uint64_t bit = 1ULL << (p % PA_WORD_BITS);
		if (a != NULL && (b != a || p / PA_CHUNK_PAGES != chunk))
			update(a, chunk, chunk);
		a = b;
		chunk = p / PA_CHUNK_PAGES;
		/* Free set, then cached cleared: a push of this page sees the
		 * cached bit or, after it, the free bit. */
		__atomic_store_n(&a->free[w], a->free[w] | bit, __ATOMIC_RELAXED);
		__atomic_fetch_and(&a->cached[w], ~bit, __ATOMIC_SEQ_CST);
		a->free_pages++;
		h->free_pages++;
		a->hint = min_u64(a->hint, chunk);
	}
	update(a, chunk, chunk);
}

/* ---- planning and set-up ------------------------------------------------ */

/* Page-number ranges [base, end). */
struct pfn_range {
	uint64_t base, end;
};

static void sort_ranges(struct pfn_range *r, int n)
{
	for (int i = 1; i < n; i++) {
		struct pfn_range x = r[i];
		int j = i;
		for (; j > 0 && r[j - 1].base > x.base; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
}

/* Sorts r and merges overlapping or touching ranges; returns the count. */
static int merge_ranges(struct pfn_range *r, int n)
{
	sort_ranges(r, n);
	int out = 0;
	for (int i = 0; i < n; i++) {
		if (r[i].base >= r[i].end)
			continue;
		if (out > 0 && r[i].base <= r[out - 1].end) {
			if (r[i].end > r[out - 1].end)
				r[out - 1].end = r[i].end;
		} else {
			r[out++] = r[i];
		}
	}
	return out;
}

static uint64_t region_end(const struct memmap_region *r)
{
	return r->base + r->size < r->base ? UINT64_MAX : r->base + r->size;
}

/* Lays an arena's bitmaps and summaries out from meta (NULL: only size
 * them); returns the bytes used, a multiple of 8. */
static size_t arena_layout(struct pa_arena *a, uint8_t *meta)
{
	a->nchunks = (a->npages + PA_CHUNK_PAGES - 1) / PA_CHUNK_PAGES;
	size_t bitmap = a->nchunks * PA_CHUNK_WORDS * sizeof(uint64_t), used = 0;
	uint64_t **maps[] = {&a->owned, &a->free, &a->cached};
	for (int i = 0; i < 3; i++) {
		*maps[i] = (uint64_t *)(meta != NULL ? meta + used : NULL);
		used += bitmap;
	}
	uint64_t n = a->nchunks;
	a->levels = 0;
	for (;;) {
		a->sum[a->levels] = (struct pa_sum *)(meta != NULL ? meta + used : NULL);
		a->nsum[a->levels++] = n;
		used += n * sizeof(struct pa_sum);
		if (n <= PA_FANOUT)
			break;
		n = (n + PA_FANOUT - 1) / PA_FANOUT;
	}
	return (used + sizeof(uint64_t) - 1) / sizeof(uint64_t) * sizeof(uint64_t);
}

/* Appends arenas covering [base, end) (pages), each at most
 * PA_ARENA_MAX_PAGES long; returns false when out of arena slots. */
static bool add_arenas(struct pa_plan *p, uint64_t base, uint64_t end)
{
	for (; base < end; base += PA_ARENA_MAX_PAGES) {
		if (p->narenas == PA_MAX_ARENAS)
			return false;
		uint64_t n = min_u64(end - base, PA_ARENA_MAX_PAGES);
		p->arena[p->narenas++] =
		    (struct pa_range){base * PAGE_SIZE, (base + n) * PAGE_SIZE};
		struct pa_arena a = {.npages = n};
		p->meta_bytes += arena_layout(&a, NULL);
	}
	return true;
}

void pa_plan(const struct memmap_region *m, int n, struct pa_plan *p)
{
	struct pfn_range ram[MEMMAP_MAX_REGIONS], excl[MEMMAP_MAX_REGIONS + 1];
	int nram = 0, nexcl = 0;
	excl[nexcl++] = (struct pfn_range){0, PA_LOW_RESERVED / PAGE_SIZE};
	for (int i = 0; i < n && i < MEMMAP_MAX_REGIONS; i++) {
		uint64_t b = m[i].base, e = region_end(&m[i]);
		if (m[i].type == MEMMAP_RAM)
			ram[nram++] = (struct pfn_range){b, e}; /* bytes until merged */
		else
			excl[nexcl++] =
			    (struct pfn_range){b / PAGE_SIZE, e / PAGE_SIZE + (e % PAGE_SIZE != 0)};
	}
	nram = merge_ranges(ram, nram);
	nexcl = merge_ranges(excl, nexcl);
	*p = (struct pa_plan){0};
	for (int i = 0; i < nram; i++) {
		/* RAM rounded inward, then minus the exclusions. */
		uint64_t pos = ram[i].base / PAGE_SIZE + (ram[i].base % PAGE_SIZE != 0);
		uint64_t end = ram[i].end / PAGE_SIZE;
		int first = p->nusable;
		for (int j = 0; j < nexcl && pos < end; j++) {
			if (excl[j].end <= pos)
				continue;
			if (excl[j].base > pos)
				p->usable[p->nusable++] = (struct pa_range){
				    pos * PAGE_SIZE, min_u64(excl[j].base, end) * PAGE_SIZE};
			pos = excl[j].end;
		}
		if (pos < end)
			p->usable[p->nusable++] =
			    (struct pa_range){pos * PAGE_SIZE, end * PAGE_SIZE};
		if (p->nusable == first)
			continue;
		uint64_t lo = p->usable[first].base / PAGE_SIZE;
		uint64_t hi = p->usable[p->nusable - 1].end / PAGE_SIZE;
		if (add_arenas(p, lo, hi))
			continue;
		/* Out of arenas: what the last one does not cover is lost. */
		uint64_t last = p->arena[PA_MAX_ARENAS - 1].end;
		for (int j = first; j < p->nusable; j++) {
			struct pa_range *u = &p->usable[j];
			uint64_t keep = u->end > last ? (u->base > last ? u->base : last) : u->end;
			p->dropped_pages += (u->end - keep) / PAGE_SIZE;
			u->end = keep;
		}
	}
	/* Drop usable ranges emptied above. */
	int out = 0;
	for (int i = 0; i < p->nusable; i++)
		if (p->usable[i].base < p->usable[i].end)
			p->usable[out++] = p->usable[i];
	p->nusable = out;
}

void pa_heap_init(struct pa_heap *h, const struct pa_plan *p, void *meta)
{
	*h = (struct pa_heap){.narenas = p->narenas};
	if (p->meta_bytes != 0)
		memset(meta, 0, p->meta_bytes);
	uint8_t *at = meta;
	for (int i = 0; i < p->narenas; i++) {
		struct pa_arena *a = &h->arena[i];
		a->base = p->arena[i].base;
		a->npages = (p->arena[i].end - p->arena[i].base) / PAGE_SIZE;
		at += arena_layout(a, at);
	}
}

uint64_t pa_heap_add(struct pa_heap *h, uint64_t base, uint64_t end)
{
	uint64_t added = 0;
	for (int i = 0; i < h->narenas; i++) {
		struct pa_arena *a = &h->arena[i];
		uint64_t a_end = a->base + a->npages * PAGE_SIZE;
		if (end <= a->base || base >= a_end)
			continue;
		uint64_t p = (base > a->base ? base - a->base : 0) / PAGE_SIZE;
		uint64_t q = (min_u64(end, a_end) - a->base) / PAGE_SIZE, gained = 0;
		for (uint64_t j = p; j < q; j = next_word(j, q)) {
			uint64_t w = j / PA_WORD_BITS, fresh = range_mask(j, q) & ~a->owned[w];
			__atomic_store_n(&a->owned[w], a->owned[w] | fresh, __ATOMIC_RELAXED);
			__atomic_store_n(&a->free[w], a->free[w] | fresh, __ATOMIC_RELAXED);
			gained += (uint64_t)__builtin_popcountll(fresh);
		}
		if (gained == 0)
			continue;
		a->free_pages += gained;
		a->hint = min_u64(a->hint, p / PA_CHUNK_PAGES);
		update(a, p / PA_CHUNK_PAGES, (q - 1) / PA_CHUNK_PAGES);
		added += gained;
	}
	h->total_pages += added;
	h->free_pages += added;
	return added;
}
