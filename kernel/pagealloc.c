/*
 * The physical page allocator on the machine (pagealloc.h): where its
 * bookkeeping lives, its locks, the per-CPU caches and its fatal errors.
 * The algorithms (bitmaps, the summary tree, first fit, the caches' batch
 * moves) are in pagealloc_core.c, which the host unit test runs.
 *
 * Set-up. pagealloc_init plans from the memory map (pa_plan: RAM minus the
 * firmware's and loader's reservations, the image and the first MiB),
 * places the bitmaps and summaries at the start of the first usable range
 * below PAGEALLOC_BOOT_LIMIT that holds them (about 0.01 % of RAM; those
 * pages are not the allocator's to hand out) and gives the allocator the
 * usable pages below PAGEALLOC_BOOT_LIMIT, which every arch's boot map
 * covers. vm_init, once it has mapped all RAM, calls
 * pagealloc_add_high_memory for the rest.
 *
 * Single pages. Each CPU has a cache of up to PA_CACHE_PAGES pages
 * (pcpu[this_cpu()->id]): page_alloc(1) pops from it and page_free(pa, 1)
 * pushes onto it under the cache's own lock, which only that CPU takes
 * except to drain or count it, so the arena lock is taken once per
 * PA_CACHE_BATCH pages. Runs of more than one page go to the arenas under
 * the arena lock.
 *
 * Exhaustion. When the arenas have no run long enough, every CPU's cache
 * is drained back into them and the search is made once more, so pages
 * sitting in caches are found too: page_alloc returns 0 only when no run
 * exists. (A CPU that refills its cache between the drain and the second
 * search can still take the last pages, as if it had allocated first.)
 *
 * Locks. heap_lock protects heap (the arenas and their counters); each
 * pcpu[i].lock protects pcpu[i].cache. Both are taken with interrupts off
 * (page_alloc and page_free may be called from interrupt handlers), in the
 * order: one cache lock (or all of them, in index order, for the
 * counters), then heap_lock. Interrupts off also keep a caller on its CPU
 * between this_cpu() and its cache.
 */
#include "kernel/pagealloc.h"

#include <stdio.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/memmap.h"
#include "kernel/pagealloc_core.h"
#include "kernel/spinlock.h"
#include "kernel/stack_probe.h"
#include "kernel/fatal.h"

#define CACHE_LINE          64
#define FATAL_MESSAGE_BYTES 96

/* The arenas: protected by heap_lock, taken with interrupts off. */
static struct spinlock heap_lock = SPINLOCK_INIT;
static struct pa_heap heap;

/* The usable ranges: written by pagealloc_init on the boot CPU, read by
 * pagealloc_add_high_memory under heap_lock. */
static struct pa_plan plan;

/* A CPU's cache: protected by its lock, taken with interrupts off, by its
 * CPU, or by another draining or counting it. One cache line each at
 * least, so CPUs do not share lines. */
struct pcpu {
	struct spinlock lock;
	struct pa_cache cache;
} __attribute__((aligned(CACHE_LINE)));

static struct pcpu pcpu[MAX_CPUS];

/* Stops the machine over a page_free the allocator refuses. */
static _Noreturn void fail(enum pa_status st, uint64_t pa)
{
	static char msg[FATAL_MESSAGE_BYTES];
	if (st == PA_DOUBLE_FREE)
		snprintf(msg, sizeof msg, "runtime: double free of page 0x%llx",
			 (unsigned long long)pa);
	else
		snprintf(msg, sizeof msg,
			 "runtime: free of page 0x%llx not owned by the page allocator",
			 (unsigned long long)pa);
	fatal(msg);
}

void pagealloc_init(void)
{
	int n;
	const struct memmap_region *m = memmap_regions(&n);
	pa_plan(m, n, &plan);
	if (plan.dropped_pages != 0)
		console_printf("gort: RAM in more than %d pieces; %llu KiB of it unused\n",
			       PA_MAX_ARENAS,
			       (unsigned long long)(plan.dropped_pages * (PAGE_SIZE >> 10)));
	uint64_t meta = 0, meta_size = (plan.meta_bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (int i = 0; i < plan.nusable && meta_size != 0; i++) {
		struct pa_range *r = &plan.usable[i];
		uint64_t end = r->end < PAGEALLOC_BOOT_LIMIT ? r->end : PAGEALLOC_BOOT_LIMIT;
		if (r->base < end && end - r->base >= meta_size) {
			meta = r->base;
			r->base += meta_size;
			break;
		}
	}
	if (meta_size != 0 && meta == 0)
		fatal("runtime: no memory for the page allocator's bitmaps");
	pa_heap_init(&heap, &plan, (void *)(uintptr_t)meta);
	for (int i = 0; i < plan.nusable; i++)
		if (plan.usable[i].base < PAGEALLOC_BOOT_LIMIT)
			pa_heap_add(&heap, plan.usable[i].base,
				    plan.usable[i].end < PAGEALLOC_BOOT_LIMIT
					? plan.usable[i].end
					: PAGEALLOC_BOOT_LIMIT);
}

void pagealloc_add_high_memory(void)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	for (int i = 0; i < plan.nusable; i++)
		if (plan.usable[i].end > PAGEALLOC_BOOT_LIMIT)
			pa_heap_add(&heap,
				    plan.usable[i].base > PAGEALLOC_BOOT_LIMIT
					? plan.usable[i].base
					: PAGEALLOC_BOOT_LIMIT,
				    plan.usable[i].end);
	spin_unlock_irqrestore(&heap_lock, flags);
}

/* Moves every page of every CPU's cache back to the arenas; returns how
 * many there were. */
static uint64_t drain_caches(void)
{
	uint64_t moved = 0;
	for (int i = 0; i < MAX_CPUS; i++) {
		struct pcpu *p = &pcpu[i];
		unsigned long flags = spin_lock_irqsave(&p->lock);
		if (p->cache.n != 0) {
			moved += p->cache.n;
			spin_lock(&heap_lock);
			pa_cache_flush(&heap, &p->cache, 0);
			spin_unlock(&heap_lock);
		}
		spin_unlock_irqrestore(&p->lock, flags);
	}
	return moved;
}

/* A run from the arenas, draining the caches and retrying once when none
 * is long enough. */
static uint64_t heap_alloc(size_t npages)
{
	for (int attempt = 0;; attempt++) {
		unsigned long flags = spin_lock_irqsave(&heap_lock);
		uint64_t pa = pa_alloc(&heap, npages);
		spin_unlock_irqrestore(&heap_lock, flags);
		if (pa != 0 || attempt == 1 || drain_caches() == 0)
			return pa;
	}
}

/* A page from this CPU's cache, refilled from the arenas when empty; 0
 * when the arenas had none either. */
static uint64_t cache_alloc(void)
{
	unsigned long flags = arch_irq_save();
	struct pcpu *p = &pcpu[this_cpu()->id];
	spin_lock(&p->lock);
	uint64_t pa = pa_cache_pop(&heap, &p->cache), bad = 0;
	enum pa_status st = PA_OK;
	if (pa == 0) {
		spin_lock(&heap_lock);
		st = pa_cache_refill(&heap, &p->cache, &bad);
		spin_unlock(&heap_lock);
		pa = pa_cache_pop(&heap, &p->cache);
	}
	spin_unlock(&p->lock);
	arch_irq_restore(flags);
	if (st != PA_OK)
		fail(st, bad);
	return pa;
}

/* page_alloc and page_free probe the stack first (kernel/stack_probe.h):
 * the stack fault handler takes the same locks. */
uint64_t page_alloc(size_t npages)
{
	stack_probe(STACK_PROBE_BYTES);
	if (npages == 0)
		return 0;
	if (npages == 1) {
		uint64_t pa = cache_alloc();
		if (pa != 0)
			return pa;
	}
	return heap_alloc(npages);
}

uint64_t page_alloc_zeroed(size_t npages)
{
	uint64_t pa = page_alloc(npages);
	if (pa != 0)
		memset((void *)(uintptr_t)pa, 0, npages * PAGE_SIZE);
	return pa;
}

void page_free(uint64_t pa, size_t npages)
{
	enum pa_status st;
	uint64_t bad = pa;
	if (npages == 0)
		return;
	stack_probe(STACK_PROBE_BYTES);
	if (npages == 1) {
		unsigned long flags = arch_irq_save();
		struct pcpu *p = &pcpu[this_cpu()->id];
		spin_lock(&p->lock);
		if (p->cache.n == PA_CACHE_PAGES) {
			spin_lock(&heap_lock);
			pa_cache_flush(&heap, &p->cache, PA_CACHE_BATCH);
			spin_unlock(&heap_lock);
		}
		st = pa_cache_push(&heap, &p->cache, pa);
		spin_unlock(&p->lock);
		arch_irq_restore(flags);
	} else {
		unsigned long flags = spin_lock_irqsave(&heap_lock);
		st = pa_free(&heap, pa, npages, &bad);
		spin_unlock_irqrestore(&heap_lock, flags);
	}
	if (st != PA_OK)
		fail(st, bad);
}

void pagealloc_stats(struct pagealloc_stats *s)
{
	unsigned long flags = arch_irq_save();
	for (int i = 0; i < MAX_CPUS; i++)
		spin_lock(&pcpu[i].lock);
	spin_lock(&heap_lock);
	*s = (struct pagealloc_stats){
	    .total_pages = heap.total_pages,
	    .free_pages = heap.free_pages,
	    .allocs = heap.allocs,
	    .frees = heap.frees,
	};
	for (int i = 0; i < MAX_CPUS; i++) {
		s->free_pages += pcpu[i].cache.n;
		s->allocs += pcpu[i].cache.allocs;
		s->frees += pcpu[i].cache.frees;
	}
	spin_unlock(&heap_lock);
	for (int i = MAX_CPUS - 1; i >= 0; i--)
		spin_unlock(&pcpu[i].lock);
	arch_irq_restore(flags);
}
