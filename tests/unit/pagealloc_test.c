/*
 * Host test of the page allocator's core (kernel/pagealloc_core.c), run
 * under ASan and UBSan.
 *
 * - pa_plan on hand-written memory maps shaped like the three machines',
 *   and on random ones checked page by page against a brute-force reading
 *   of the map (RAM covering the whole page, no reserved byte in it, not
 *   in the first MiB).
 * - A fuzz of random memory maps and random operations (runs of random
 *   length from the arenas, single pages through several simulated CPUs'
 *   caches with refills and flushes, whole, partial and page-by-page
 *   frees, high memory added late, double frees and frees of pages not
 *   owned) checked after every step against a model holding each page's
 *   state: every allocation is the model's lowest free run (first fit),
 *   refills take exactly the pages the design says, counters are exact,
 *   bitmaps and every summary match the model, errors change nothing, and
 *   once everything is freed all pages are free again.
 * - Threads allocating and freeing through their own caches and a shared
 *   arena lock at once, each page tagged with its owner: no page is ever
 *   handed to two threads, and every page comes back.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/pagealloc_core.h"

#include "tests/unit/check.h"

#define MIB              (1ULL << 20)
#define GIB              (1ULL << 30)
#define NCACHES          4
#define MAX_LIVE         4096
#define FULL_CHECK_EVERY 64

/* ---- a random generator (xorshift64*), seeded per case ----------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [lo, hi]. */
static uint64_t rnd_in(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

/* ---- memory maps and the brute-force reading of them ------------------- */

struct map {
	struct memmap_region r[MEMMAP_MAX_REGIONS];
	int n;
};

static void map_add(struct map *m, uint64_t base, uint64_t size, enum memmap_type t)
{
	m->r[m->n++] = (struct memmap_region){base, size, t};
}

/* Whether RAM regions cover every byte of [a, b). */
static bool ram_covers(const struct map *m, uint64_t a, uint64_t b)
{
	for (bool moved = true; a < b && moved;) {
		moved = false;
		for (int i = 0; i < m->n; i++) {
			const struct memmap_region *r = &m->r[i];
			if (r->type == MEMMAP_RAM && r->base <= a && a < r->base + r->size) {
				a = r->base + r->size;
				moved = true;
			}
		}
	}
	return a >= b;
}

static bool page_usable(const struct map *m, uint64_t pa)
{
	if (pa < PA_LOW_RESERVED || !ram_covers(m, pa, pa + PAGE_SIZE))
		return false;
	for (int i = 0; i < m->n; i++) {
		const struct memmap_region *r = &m->r[i];
		if (r->type != MEMMAP_RAM && r->base < pa + PAGE_SIZE && pa < r->base + r->size)
			return false;
	}
	return true;
}

/* The lowest and highest RAM byte of m. */
static void map_bounds(const struct map *m, uint64_t *lo, uint64_t *hi)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (int i = 0; i < m->n; i++)
		if (m->r[i].type == MEMMAP_RAM) {
			if (m->r[i].base < *lo)
				*lo = m->r[i].base;
			if (m->r[i].base + m->r[i].size > *hi)
				*hi = m->r[i].base + m->r[i].size;
		}
}

static bool in_ranges(const struct pa_range *r, int n, uint64_t pa)
{
	for (int i = 0; i < n; i++)
		if (r[i].base <= pa && pa < r[i].end)
			return true;
	return false;
}

/* Checks a plan against the brute-force reading of its map. */
static void check_plan(const struct map *m, const struct pa_plan *p)
{
	uint64_t lo, hi;
	map_bounds(m, &lo, &hi);
	for (int i = 0; i < p->nusable; i++) {
		CHECK(p->usable[i].base % PAGE_SIZE == 0 && p->usable[i].end % PAGE_SIZE == 0);
		CHECK(p->usable[i].base < p->usable[i].end);
		if (i > 0)
			CHECK(p->usable[i - 1].end < p->usable[i].base);
		CHECK(in_ranges(p->arena, p->narenas, p->usable[i].base));
		CHECK(in_ranges(p->arena, p->narenas, p->usable[i].end - PAGE_SIZE));
	}
	for (int i = 0; i < p->narenas; i++) {
		CHECK(p->arena[i].base < p->arena[i].end);
		CHECK((p->arena[i].end - p->arena[i].base) / PAGE_SIZE <= PA_ARENA_MAX_PAGES);
		if (i > 0)
			CHECK(p->arena[i - 1].end <= p->arena[i].base);
		/* An arena starts and ends with a usable page. */
		CHECK(in_ranges(p->usable, p->nusable, p->arena[i].base));
		CHECK(in_ranges(p->usable, p->nusable, p->arena[i].end - PAGE_SIZE));
	}
	if (lo >= hi)
		return;
	int wrong = 0;
	for (uint64_t pa = lo & ~(PAGE_SIZE - 1); pa < hi && wrong < 3; pa += PAGE_SIZE)
		if (page_usable(m, pa) != in_ranges(p->usable, p->nusable, pa)) {
			fprintf(stderr, "page 0x%llx: usable %d, planned %d\n",
				(unsigned long long)pa, page_usable(m, pa),
				in_ranges(p->usable, p->nusable, pa));
			wrong++;
		}
	CHECK(wrong == 0);
}

static void test_plan_machines(void)
{
	static struct pa_plan p;
	/* x86_64 q35 with 128 MiB: PVH e820, the image at 1 MiB, the AP
	 * trampoline. */
	struct map x86 = {0};
	map_add(&x86, 0, 0x9fc00, MEMMAP_RAM);
	map_add(&x86, 0x9fc00, 0x400, MEMMAP_RESERVED);
	map_add(&x86, 0xf0000, 0x10000, MEMMAP_RESERVED);
	map_add(&x86, 0x100000, 0x7ee0000, MEMMAP_RAM);
	map_add(&x86, 0x7fe0000, 0x20000, MEMMAP_RESERVED);
	map_add(&x86, 0xb0000000, 0x10000000, MEMMAP_RESERVED);
	map_add(&x86, 0xfed1c000, 0x4000, MEMMAP_RESERVED);
	map_add(&x86, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
	map_add(&x86, 0x100000, 0x62345, MEMMAP_IMAGE);
	map_add(&x86, 0x8000, 0x1000, MEMMAP_RESERVED);
	pa_plan(x86.r, x86.n, &p);
	check_plan(&x86, &p);
	CHECK(p.narenas == 1 && p.nusable == 1);
	CHECK(p.usable[0].base == 0x163000 && p.usable[0].end == 0x7fe0000);

	/* riscv64 virt: OpenSBI below the image, the device tree near the
	 * top of RAM. */
	struct map rv = {0};
	map_add(&rv, 0x80000000, 128 * MIB, MEMMAP_RAM);
	map_add(&rv, 0x80000000, 0x40000, MEMMAP_RESERVED);
	map_add(&rv, 0x87e00000, 0x1234, MEMMAP_RESERVED);
	map_add(&rv, 0x80200000, 0x42b000, MEMMAP_IMAGE);
	pa_plan(rv.r, rv.n, &p);
	check_plan(&rv, &p);
	CHECK(p.narenas == 1 && p.nusable == 3);
	CHECK(p.arena[0].base == 0x80040000 && p.arena[0].end == 0x88000000);

	/* aarch64 virt: the device tree at the start of RAM, two memory
	 * nodes back to back. */
	struct map arm = {0};
	map_add(&arm, 0x40000000, 64 * MIB, MEMMAP_RAM);
	map_add(&arm, 0x44000000, 64 * MIB, MEMMAP_RAM);
	map_add(&arm, 0x40000000, 0x100000, MEMMAP_RESERVED);
	map_add(&arm, 0x40200000, 0x80000, MEMMAP_IMAGE);
	pa_plan(arm.r, arm.n, &p);
	check_plan(&arm, &p);
	CHECK(p.narenas == 1 && p.nusable == 2);

	/* Nothing but low memory: nothing to own. */
	struct map low = {0};
	map_add(&low, 0, 0x9fc00, MEMMAP_RAM);
	pa_plan(low.r, low.n, &p);
	CHECK(p.narenas == 0 && p.nusable == 0 && p.meta_bytes == 0);

	/* RAM longer than an arena is split into arenas. */
	struct map big = {0};
	map_add(&big, 4 * GIB, PA_ARENA_MAX_PAGES * PAGE_SIZE + 8 * GIB, MEMMAP_RAM);
	pa_plan(big.r, big.n, &p);
	CHECK(p.narenas == 2 && p.nusable == 1);
	CHECK(p.arena[0].end == p.arena[1].base);

	/* More arenas than slots: what does not fit is reported dropped. */
	struct map many = {0};
	for (int i = 0; i < MEMMAP_MAX_REGIONS - 1; i++)
		map_add(&many, 2 * GIB + (uint64_t)i * 4 * MIB, 2 * MIB, MEMMAP_RAM);
	map_add(&many, 64 * GIB, PA_ARENA_MAX_PAGES * PAGE_SIZE + 4 * GIB, MEMMAP_RAM);
	pa_plan(many.r, many.n, &p);
	CHECK(p.narenas == PA_MAX_ARENAS && p.nusable == MEMMAP_MAX_REGIONS);
	CHECK(p.dropped_pages == 4 * GIB / PAGE_SIZE);
	CHECK(p.usable[p.nusable - 1].end == 64 * GIB + PA_ARENA_MAX_PAGES * PAGE_SIZE);
}

/* A random map: RAM pieces (overlapping, touching or apart, unaligned
 * at times), reserved regions and an image scattered over and around
 * them. */
static void random_map(struct map *m, uint64_t max_pages)
{
	*m = (struct map){0};
	static const uint64_t starts[] = {0, 0x80000, 1 * GIB, 2 * GIB, 0x40000000 + 0x1000};
	uint64_t at = starts[rnd() % (sizeof starts / sizeof starts[0])];
	int nram = (int)rnd_in(1, 4);
	uint64_t per = max_pages / (uint64_t)nram;
	for (int i = 0; i < nram; i++) {
		uint64_t size = rnd_in(1, per) * PAGE_SIZE;
		if (rnd() % 4 == 0)
			size += rnd() % PAGE_SIZE;
		map_add(m, at, size, MEMMAP_RAM);
		uint64_t gap = rnd() % 3 == 0 ? 0 : rnd_in(0, 4096) * PAGE_SIZE;
		if (rnd() % 5 == 0 && size > PAGE_SIZE) /* overlap the next one */
			at += size / 2;
		else
			at += size + gap + (rnd() % 4 == 0 ? rnd() % PAGE_SIZE : 0);
	}
	uint64_t lo, hi;
	map_bounds(m, &lo, &hi);
	int nres = (int)rnd_in(0, 6);
	for (int i = 0; i < nres; i++)
		map_add(m, rnd_in(lo, hi), rnd_in(1, 64 * PAGE_SIZE), MEMMAP_RESERVED);
	map_add(m, rnd_in(lo, hi), rnd_in(PAGE_SIZE, 256 * PAGE_SIZE), MEMMAP_IMAGE);
}

static void test_plan_random(void)
{
	static struct pa_plan p;
	for (int i = 0; i < 300; i++) {
		rng_state = 0x9e3779b97f4a7c15ULL + (uint64_t)i;
		struct map m;
		random_map(&m, 20000);
		pa_plan(m.r, m.n, &p);
		check_plan(&m, &p);
	}
}

/* ---- the model ---------------------------------------------------------- */

enum mstate {
	M_NONE, /* not owned */
	M_FREE,
	M_CACHED,
	M_ALLOC,
};

struct live {
	uint64_t pa, npages;
};

struct fuzz {
	struct pa_plan plan;
	struct pa_heap h;
	void *meta;
	struct pa_cache cache[NCACHES];
	uint64_t lo;       /* physical address of model page 0 */
	uint64_t npages;   /* model pages */
	uint8_t *state;    /* enum mstate per model page */
	uint8_t *owner;    /* the cache holding an M_CACHED page */
	uint64_t count[4]; /* pages in each state */
	uint64_t limit;    /* pages at and above it are added late */
	bool first_fit;    /* check every allocation is the lowest run */
	uint64_t allocs, frees;
	struct live live[MAX_LIVE];
	int nlive;
};

static uint64_t model_index(const struct fuzz *f, uint64_t pa)
{
	return (pa - f->lo) / PAGE_SIZE;
}

static uint64_t count_state(const struct fuzz *f, enum mstate s)
{
	return f->count[s];
}

/* The model's state of the page at pa, M_NONE outside the model. */
static enum mstate state_at(const struct fuzz *f, uint64_t pa)
{
	if (pa < f->lo || model_index(f, pa) >= f->npages)
		return M_NONE;
	return f->state[model_index(f, pa)];
}

/* The lowest run of n free pages inside one arena, or 0. */
static uint64_t model_first_fit(const struct fuzz *f, uint64_t n)
{
	for (int i = 0; i < f->h.narenas; i++) {
		const struct pa_arena *a = &f->h.arena[i];
		uint64_t run = 0;
		for (uint64_t p = 0; p < a->npages; p++) {
			run = state_at(f, a->base + p * PAGE_SIZE) == M_FREE ? run + 1 : 0;
			if (run == n)
				return a->base + (p + 1 - n) * PAGE_SIZE;
		}
	}
	return 0;
}

static void check_counters(const struct fuzz *f)
{
	uint64_t cached = 0, allocs = f->h.allocs, frees = f->h.frees;
	for (int i = 0; i < NCACHES; i++) {
		cached += f->cache[i].n;
		allocs += f->cache[i].allocs;
		frees += f->cache[i].frees;
	}
	CHECK(f->h.free_pages == count_state(f, M_FREE));
	CHECK(cached == count_state(f, M_CACHED));
	CHECK(f->h.total_pages == f->npages - count_state(f, M_NONE));
	CHECK(allocs == f->allocs);
	CHECK(frees == f->frees);
}

/* The summary of [first, first + span) pages of a, from the model. */
static struct pa_sum model_sum(const struct fuzz *f, const struct pa_arena *a, uint64_t first,
			       uint64_t span)
{
	struct pa_sum s = {0};
	uint64_t run = 0;
	bool started = false;
	for (uint64_t p = first; p < first + span; p++) {
		bool free = p < a->npages && state_at(f, a->base + p * PAGE_SIZE) == M_FREE;
		if (free) {
			run++;
			continue;
		}
		if (!started) {
			s.start = (uint32_t)run;
			started = true;
		}
		if (run > s.max)
			s.max = (uint32_t)run;
		run = 0;
	}
	if (!started)
		s.start = (uint32_t)run;
	if (run > s.max)
		s.max = (uint32_t)run;
	s.end = (uint32_t)run;
	return s;
}

/* Bitmaps, per-arena counts and every summary against the model. */
static void check_full(const struct fuzz *f)
{
	for (int i = 0; i < f->h.narenas; i++) {
		const struct pa_arena *a = &f->h.arena[i];
		uint64_t nfree = 0;
		int wrong = 0;
		for (uint64_t p = 0; p < a->nchunks * PA_CHUNK_PAGES; p++) {
			enum mstate s =
			    p < a->npages ? state_at(f, a->base + p * PAGE_SIZE) : M_NONE;
			uint64_t w = p / 64, bit = 1ULL << (p % 64);
			bool owned = a->owned[w] & bit, fr = a->free[w] & bit;
			bool ca = a->cached[w] & bit;
			wrong +=
			    owned != (s != M_NONE) || fr != (s == M_FREE) || ca != (s == M_CACHED);
			nfree += s == M_FREE;
			if (s == M_FREE)
				CHECK(p / PA_CHUNK_PAGES >= a->hint);
		}
		CHECK(wrong == 0);
		CHECK(a->free_pages == nfree);
		for (int l = 0; l < a->levels; l++) {
			uint64_t span = (uint64_t)PA_CHUNK_PAGES << (PA_FANOUT_SHIFT * l);
			int bad = 0;
			for (uint64_t j = 0; j < a->nsum[l]; j++) {
				struct pa_sum m = model_sum(f, a, j * span, span), s = a->sum[l][j];
				bad += m.start != s.start || m.max != s.max || m.end != s.end;
			}
			CHECK(bad == 0);
		}
		CHECK(a->nsum[a->levels - 1] <= PA_FANOUT);
	}
}

static void set_state(struct fuzz *f, uint64_t pa, uint64_t n, enum mstate s)
{
	for (uint64_t i = 0; i < n; i++) {
		uint8_t *st = &f->state[model_index(f, pa) + i];
		f->count[*st]--;
		f->count[s]++;
		*st = (uint8_t)s;
	}
}

static void live_add(struct fuzz *f, uint64_t pa, uint64_t n)
{
	if (f->nlive < MAX_LIVE) {
		f->live[f->nlive++] = (struct live){pa, n};
		return;
	}
	/* Full: free it at once. */
	uint64_t bad;
	CHECK(pa_free(&f->h, pa, n, &bad) == PA_OK);
	set_state(f, pa, n, M_FREE);
	f->frees++;
}

static uint64_t random_length(struct fuzz *f)
{
	switch (rnd() % 10) {
	case 0:
	case 1:
	case 2:
		return 1;
	case 3:
	case 4:
	case 5:
		return rnd_in(2, 16);
	case 6:
	case 7:
		return rnd_in(17, 700);
	case 8:
		return rnd_in(701, 1 + f->npages / 4);
	default:
		return rnd_in(1, 2 * f->npages);
	}
}

static void op_alloc(struct fuzz *f)
{
	uint64_t n = random_length(f);
	uint64_t want = f->first_fit ? model_first_fit(f, n) : 0;
	uint64_t pa = pa_alloc(&f->h, n);
	if (f->first_fit)
		CHECK(pa == want);
	if (pa == 0)
		return;
	CHECK(pa % PAGE_SIZE == 0);
	for (uint64_t i = 0; i < n; i++)
		if (state_at(f, pa + i * PAGE_SIZE) != M_FREE) {
			CHECK(!"allocated a page that is not free");
			break;
		}
	set_state(f, pa, n, M_ALLOC);
	f->allocs++;
	live_add(f, pa, n);
}

/* The pages a refill of c takes, in the model: the first free page and
 * the free pages after it in its chunk, again until the cache holds
 * PA_CACHE_BATCH or nothing is free. */
static int model_refill(const struct fuzz *f, const struct pa_cache *c, uint64_t *out)
{
	uint8_t *taken = calloc(f->npages, 1);
	int n = 0, want = c->n < PA_CACHE_BATCH ? PA_CACHE_BATCH - (int)c->n : 0;
	for (int i = 0; i < f->h.narenas && n < want; i++) {
		const struct pa_arena *a = &f->h.arena[i];
		for (uint64_t p = 0; p < a->npages && n < want; p++) {
			uint64_t pa = a->base + p * PAGE_SIZE;
			if (state_at(f, pa) != M_FREE || taken[model_index(f, pa)])
				continue;
			uint64_t end = (p / PA_CHUNK_PAGES + 1) * PA_CHUNK_PAGES;
			for (uint64_t q = p; q < end && q < a->npages && n < want; q++) {
				uint64_t qa = a->base + q * PAGE_SIZE;
				if (state_at(f, qa) == M_FREE && !taken[model_index(f, qa)]) {
					taken[model_index(f, qa)] = 1;
					out[n++] = qa;
				}
			}
			p = end - 1;
		}
	}
	free(taken);
	return n;
}

static void op_cache_alloc(struct fuzz *f, int k)
{
	struct pa_cache *c = &f->cache[k];
	if (c->n == 0) {
		uint64_t want[PA_CACHE_BATCH], bad = 0;
		int nwant = model_refill(f, c, want);
		CHECK(pa_cache_refill(&f->h, c, &bad) == PA_OK);
		CHECK(c->n == (uint32_t)nwant);
		for (int i = 0; i < nwant && i < (int)c->n; i++) {
			/* Lowest first out: the stack holds them highest first. */
			CHECK(c->page[c->n - 1 - i] == want[i]);
			set_state(f, want[i], 1, M_CACHED);
			f->owner[model_index(f, want[i])] = (uint8_t)k;
		}
	}
	uint64_t pa = pa_cache_pop(&f->h, c);
	if (pa == 0) {
		CHECK(count_state(f, M_FREE) == 0);
		return;
	}
	CHECK(state_at(f, pa) == M_CACHED && f->owner[model_index(f, pa)] == k);
	set_state(f, pa, 1, M_ALLOC);
	f->allocs++;
	live_add(f, pa, 1);
}

static void flush(struct fuzz *f, int k, uint32_t keep)
{
	struct pa_cache *c = &f->cache[k];
	uint32_t n = c->n;
	uint64_t out[PA_CACHE_PAGES];
	memcpy(out, c->page, sizeof out);
	pa_cache_flush(&f->h, c, keep);
	CHECK(c->n == (n < keep ? n : keep));
	for (uint32_t i = 0; i + c->n < n; i++) /* the oldest went back */
		set_state(f, out[i], 1, M_FREE);
	for (uint32_t i = 0; i < c->n; i++)
		CHECK(c->page[i] == out[n - c->n + i]);
}

/* Frees page pa through cache k, flushing it when full, as page_free. */
static void push(struct fuzz *f, int k, uint64_t pa)
{
	if (f->cache[k].n == PA_CACHE_PAGES)
		flush(f, k, PA_CACHE_BATCH);
	CHECK(pa_cache_push(&f->h, &f->cache[k], pa) == PA_OK);
	set_state(f, pa, 1, M_CACHED);
	f->owner[model_index(f, pa)] = (uint8_t)k;
	f->frees++;
}

static void op_free(struct fuzz *f)
{
	if (f->nlive == 0)
		return;
	int i = (int)(rnd() % (uint64_t)f->nlive);
	struct live l = f->live[i];
	f->live[i] = f->live[--f->nlive];
	uint64_t bad = 0;
	switch (rnd() % 4) {
	case 0: /* the whole run */
	case 1:
		CHECK(pa_free(&f->h, l.pa, l.npages, &bad) == PA_OK);
		set_state(f, l.pa, l.npages, M_FREE);
		f->frees++;
		break;
	case 2: { /* a piece of it; the rest stays allocated */
		uint64_t off = rnd() % l.npages, n = rnd_in(1, l.npages - off);
		CHECK(pa_free(&f->h, l.pa + off * PAGE_SIZE, n, &bad) == PA_OK);
		set_state(f, l.pa + off * PAGE_SIZE, n, M_FREE);
		f->frees++;
		if (off > 0)
			live_add(f, l.pa, off);
		if (off + n < l.npages)
			live_add(f, l.pa + (off + n) * PAGE_SIZE, l.npages - off - n);
		break;
	}
	default: /* page by page through a cache, up to 200 pages */
		for (uint64_t j = 0; j < l.npages; j++) {
			if (j == 200) {
				live_add(f, l.pa + j * PAGE_SIZE, l.npages - j);
				break;
			}
			push(f, (int)(rnd() % NCACHES), l.pa + j * PAGE_SIZE);
		}
	}
}

/* A page whose state is s, or 0 after a few misses. */
static uint64_t random_page_in(const struct fuzz *f, enum mstate s)
{
	for (int tries = 0; tries < 64; tries++) {
		uint64_t i = rnd() % f->npages;
		if (f->state[i] == s)
			return f->lo + i * PAGE_SIZE;
	}
	return 0;
}

/* Frees the allocator must refuse, each leaving everything as it was. */
static void op_bad_free(struct fuzz *f)
{
	uint64_t bad = 0, before = f->h.free_pages, pa;
	struct pa_cache *c = &f->cache[rnd() % NCACHES];
	uint32_t cn = c->n;
	switch (rnd() % 6) {
	case 0: /* a free or cached page, alone */
		pa = random_page_in(f, rnd() % 2 ? M_FREE : M_CACHED);
		if (pa == 0 || cn == PA_CACHE_PAGES)
			return;
		CHECK(pa_free(&f->h, pa, 1, &bad) == PA_DOUBLE_FREE && bad == pa);
		CHECK(pa_cache_push(&f->h, c, pa) == PA_DOUBLE_FREE);
		break;
	case 1: /* a run that holds a free page after allocated ones */
		if (f->nlive == 0)
			return;
		pa = f->live[rnd() % (uint64_t)f->nlive].pa;
		uint64_t n = 1;
		while (state_at(f, pa + n * PAGE_SIZE) == M_ALLOC)
			n++;
		enum mstate s = state_at(f, pa + n * PAGE_SIZE);
		enum pa_status st = pa_free(&f->h, pa, n + 1, &bad);
		CHECK(st == (s == M_NONE ? PA_NOT_OWNED : PA_DOUBLE_FREE));
		CHECK(bad == pa + n * PAGE_SIZE);
		break;
	case 2: /* a page not owned: in a hole, below or above everything */
		pa = random_page_in(f, M_NONE);
		if (pa == 0)
			pa = f->lo + f->npages * PAGE_SIZE;
		CHECK(pa_free(&f->h, pa, 1, &bad) == PA_NOT_OWNED && bad == pa);
		if (cn < PA_CACHE_PAGES)
			CHECK(pa_cache_push(&f->h, c, pa) == PA_NOT_OWNED);
		CHECK(pa_free(&f->h, PAGE_SIZE, 1, &bad) == PA_NOT_OWNED);
		break;
	case 3: /* misaligned */
		pa = random_page_in(f, M_ALLOC);
		if (pa == 0 || cn == PA_CACHE_PAGES)
			return;
		CHECK(pa_free(&f->h, pa + 8, 1, &bad) == PA_NOT_OWNED && bad == pa + 8);
		CHECK(pa_cache_push(&f->h, c, pa + 8) == PA_NOT_OWNED);
		break;
	case 4: /* a run running off the end of its arena */
		if (f->nlive == 0)
			return;
		pa = f->live[rnd() % (uint64_t)f->nlive].pa;
		CHECK(pa_free(&f->h, pa, UINT64_MAX / PAGE_SIZE, &bad) != PA_OK);
		break;
	default: /* nothing to free */
		CHECK(pa_free(&f->h, 0, 0, &bad) == PA_OK);
		break;
	}
	CHECK(f->h.free_pages == before && c->n == cn);
}

static void setup(struct fuzz *f, const struct map *m, uint64_t limit)
{
	pa_plan(m->r, m->n, &f->plan);
	check_plan(m, &f->plan);
	f->meta = aligned_alloc(8, f->plan.meta_bytes + 8);
	pa_heap_init(&f->h, &f->plan, f->meta);
	uint64_t lo, hi;
	map_bounds(m, &lo, &hi);
	f->lo = lo & ~(PAGE_SIZE - 1);
	f->npages = (hi - f->lo + PAGE_SIZE - 1) / PAGE_SIZE;
	f->state = calloc(f->npages, 1);
	f->owner = calloc(f->npages, 1);
	f->count[M_NONE] = f->npages;
	f->limit = limit;
	for (int i = 0; i < f->plan.nusable; i++) {
		struct pa_range r = f->plan.usable[i];
		uint64_t end = r.end < limit ? r.end : limit;
		if (r.base < end) {
			CHECK(pa_heap_add(&f->h, r.base, end) == (end - r.base) / PAGE_SIZE);
			set_state(f, r.base, (end - r.base) / PAGE_SIZE, M_FREE);
		}
	}
}

/* The RAM above the limit joins, as pagealloc_add_high_memory. */
static void add_high(struct fuzz *f)
{
	for (int i = 0; i < f->plan.nusable; i++) {
		struct pa_range r = f->plan.usable[i];
		uint64_t base = r.base > f->limit ? r.base : f->limit;
		if (base < r.end) {
			CHECK(pa_heap_add(&f->h, base, r.end) == (r.end - base) / PAGE_SIZE);
			set_state(f, base, (r.end - base) / PAGE_SIZE, M_FREE);
		}
	}
	f->limit = UINT64_MAX;
	for (int i = 0; i < f->plan.nusable; i++) /* owned already: no gain */
		CHECK(pa_heap_add(&f->h, f->plan.usable[i].base, f->plan.usable[i].end) == 0);
}

/* Frees everything and checks that every page is free again. */
static void teardown(struct fuzz *f)
{
	uint64_t bad;
	while (f->nlive > 0) {
		struct live l = f->live[--f->nlive];
		CHECK(pa_free(&f->h, l.pa, l.npages, &bad) == PA_OK);
		set_state(f, l.pa, l.npages, M_FREE);
		f->frees++;
	}
	for (int k = 0; k < NCACHES; k++)
		flush(f, k, 0);
	check_counters(f);
	check_full(f);
	CHECK(f->h.free_pages == f->h.total_pages);
	if (f->h.total_pages > 0 && f->h.narenas == 1) {
		/* One arena, all free: its longest run is everything it has
		 * from the first owned page on, if nothing is in between. */
		const struct pa_arena *a = &f->h.arena[0];
		const struct pa_sum *top = a->sum[a->levels - 1];
		uint32_t best = 0;
		for (uint64_t j = 0; j < a->nsum[a->levels - 1]; j++)
			if (top[j].max > best)
				best = top[j].max;
		CHECK(best >= 1);
	}
	free(f->meta);
	free(f->state);
	free(f->owner);
}

static void fuzz_case(const struct map *m, uint64_t limit, int ops, bool first_fit, int full_every)
{
	static struct fuzz f;
	memset(&f, 0, sizeof f);
	f.first_fit = first_fit;
	setup(&f, m, limit);
	check_counters(&f);
	check_full(&f);
	for (int i = 0; i < ops; i++) {
		uint64_t r = rnd() % 100;
		if (r < 30)
			op_alloc(&f);
		else if (r < 55)
			op_cache_alloc(&f, (int)(rnd() % NCACHES));
		else if (r < 90)
			op_free(&f);
		else if (r < 95)
			op_bad_free(&f);
		else if (r < 97)
			flush(&f, (int)(rnd() % NCACHES), rnd() % 2 ? 0 : PA_CACHE_BATCH);
		else if (r < 98 && f.limit != UINT64_MAX)
			add_high(&f);
		check_counters(&f);
		if (full_every != 0 && i % full_every == 0)
			check_full(&f);
	}
	teardown(&f);
}

static void test_fuzz(void)
{
	/* Small maps: every allocation checked to be first fit. */
	for (int i = 0; i < 60; i++) {
		rng_state = 0x1234567ULL * (uint64_t)(i + 1);
		struct map m;
		random_map(&m, rnd_in(64, 12000));
		uint64_t lo, hi;
		map_bounds(&m, &lo, &hi);
		uint64_t limit = rnd() % 2 ? UINT64_MAX : rnd_in(lo, hi) & ~(PAGE_SIZE - 1);
		fuzz_case(&m, limit, 4000, true, FULL_CHECK_EVERY);
	}
	/* Two levels of summaries (an arena over 128 MiB). */
	for (int i = 0; i < 6; i++) {
		rng_state = 0xabcdefULL * (uint64_t)(i + 1);
		struct map m = {0};
		map_add(&m, 1 * GIB, 300 * MIB + (uint64_t)i * 37 * MIB, MEMMAP_RAM);
		map_add(&m, 1 * GIB + 2 * MIB, 5 * MIB, MEMMAP_IMAGE);
		map_add(&m, 1 * GIB + 200 * MIB, 3 * PAGE_SIZE, MEMMAP_RESERVED);
		fuzz_case(&m, i % 2 == 0 ? 1 * GIB + 150 * MIB : UINT64_MAX, 2500, true, 250);
	}
	/* Three levels (an arena over 8 GiB): no first-fit search in the
	 * model, summaries checked at the start and the end. */
	rng_state = 42;
	struct map m = {0};
	map_add(&m, 4 * GIB, 9 * GIB, MEMMAP_RAM);
	map_add(&m, 4 * GIB + 8 * GIB + 12345, 7 * PAGE_SIZE, MEMMAP_RESERVED);
	fuzz_case(&m, UINT64_MAX, 400, false, 0);
}

/* ---- threads ------------------------------------------------------------ */

#define THREADS     4
#define THREAD_OPS  20000
#define THREAD_HELD 300

static struct pa_heap th_heap;
static pthread_mutex_t th_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t th_lo, th_npages;
static uint32_t *th_owner; /* thread + 1 holding each page, 0: none */

static void th_claim(uint64_t pa, uint64_t n, uint32_t me)
{
	for (uint64_t i = 0; i < n; i++) {
		uint32_t none = 0;
		if (!__atomic_compare_exchange_n(&th_owner[(pa - th_lo) / PAGE_SIZE + i], &none, me,
						 false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			CHECK(!"a page was handed to two threads");
	}
}

static void th_release(uint64_t pa, uint64_t n, uint32_t me)
{
	for (uint64_t i = 0; i < n; i++) {
		uint32_t mine = me;
		if (!__atomic_compare_exchange_n(&th_owner[(pa - th_lo) / PAGE_SIZE + i], &mine, 0,
						 false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			CHECK(!"a page changed owner while held");
	}
}

struct th_arg {
	uint32_t id;
	uint64_t seed;
	struct pa_cache cache;
};

static void *th_main(void *p)
{
	struct th_arg *t = p;
	struct live held[THREAD_HELD];
	int n = 0;
	uint64_t s = t->seed, bad;
	for (int i = 0; i < THREAD_OPS; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		if (n < THREAD_HELD && s % 3 != 0) {
			uint64_t pa, len = s % 5 == 0 ? 1 + (s >> 20) % 64 : 1;
			if (len == 1) {
				pa = pa_cache_pop(&th_heap, &t->cache);
				if (pa == 0) {
					pthread_mutex_lock(&th_lock);
					CHECK(pa_cache_refill(&th_heap, &t->cache, &bad) == PA_OK);
					pthread_mutex_unlock(&th_lock);
					pa = pa_cache_pop(&th_heap, &t->cache);
				}
			} else {
				pthread_mutex_lock(&th_lock);
				pa = pa_alloc(&th_heap, len);
				pthread_mutex_unlock(&th_lock);
			}
			if (pa != 0) {
				th_claim(pa, len, t->id);
				held[n++] = (struct live){pa, len};
			}
		} else if (n > 0) {
			uint64_t j = (s >> 8) % (uint64_t)n;
			struct live l = held[j];
			held[j] = held[--n];
			th_release(l.pa, l.npages, t->id);
			if (l.npages == 1) {
				if (t->cache.n == PA_CACHE_PAGES) {
					pthread_mutex_lock(&th_lock);
					pa_cache_flush(&th_heap, &t->cache, PA_CACHE_BATCH);
					pthread_mutex_unlock(&th_lock);
				}
				CHECK(pa_cache_push(&th_heap, &t->cache, l.pa) == PA_OK);
			} else {
				pthread_mutex_lock(&th_lock);
				CHECK(pa_free(&th_heap, l.pa, l.npages, &bad) == PA_OK);
				pthread_mutex_unlock(&th_lock);
			}
		}
	}
	while (n > 0) {
		struct live l = held[--n];
		th_release(l.pa, l.npages, t->id);
		pthread_mutex_lock(&th_lock);
		CHECK(pa_free(&th_heap, l.pa, l.npages, &bad) == PA_OK);
		pthread_mutex_unlock(&th_lock);
	}
	return NULL;
}

static void test_threads(void)
{
	static struct pa_plan p;
	struct map m = {0};
	/* Small enough that the threads run it dry now and then. */
	map_add(&m, 2 * GIB, 4 * MIB, MEMMAP_RAM);
	pa_plan(m.r, m.n, &p);
	void *meta = aligned_alloc(8, p.meta_bytes + 8);
	pa_heap_init(&th_heap, &p, meta);
	pa_heap_add(&th_heap, p.usable[0].base, p.usable[0].end);
	th_lo = 2 * GIB;
	th_npages = 4 * MIB / PAGE_SIZE;
	th_owner = calloc(th_npages, sizeof *th_owner);
	static struct th_arg args[THREADS];
	pthread_t t[THREADS];
	for (uint32_t i = 0; i < THREADS; i++) {
		args[i] = (struct th_arg){.id = i + 1, .seed = 0x12345678ULL * (i + 1)};
		CHECK(pthread_create(&t[i], NULL, th_main, &args[i]) == 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		pa_cache_flush(&th_heap, &args[i].cache, 0);
	CHECK(th_heap.free_pages == th_heap.total_pages);
	CHECK(th_heap.total_pages == th_npages);
	for (uint64_t i = 0; i < th_npages; i++)
		CHECK(th_owner[i] == 0);
	free(th_owner);
	free(meta);
}

int main(void)
{
	test_plan_machines();
	test_plan_random();
	test_fuzz();
	test_threads();
	return check_status("pagealloc_test");
}
