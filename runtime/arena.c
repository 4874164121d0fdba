/*
 * Heap arenas and the span lookup.
 *
 * The heap's address space comes from vm_reserve(VM_REGION_HEAP) in 64 MiB
 * arenas (mheap.c). Each arena has a struct heap_arena whose spans[] table
 * maps each of its 8 KiB heap pages to the span holding it, as Go's
 * heapArena.spans does. The arena map finds the heap_arena of any address
 * in two loads: arena index = address >> 26 (22 bits of a 48-bit address),
 * split into a 1024-entry first level (in the image) and 4096-entry second
 * levels allocated on first use (32 KiB each; the 32 TiB heap region needs
 * at most 128 of them). So span_of(p) costs three dependent loads plus a
 * range check, for any p, inside the heap or not: the collector's
 * conservative scan depends on that.
 *
 * Entries are published with release stores and never removed; readers
 * take no lock. Second levels are created under arena_lock, allocated
 * before it is taken (no lock is held across page_alloc, see malloc.h).
 */
#include "runtime/malloc.h"

struct heap_arena **arena_l1[1 << ARENA_L1_BITS];

/* Protects creating second levels and arena entries; interrupts off. */
static struct spinlock arena_lock = SPINLOCK_INIT;

struct mspan *span_of(uintptr_t p)
{
	struct mspan *s = span_entry(p);
	if (s == NULL || __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SPAN_INUSE)
		return NULL;
	if (p < s->base || p >= span_end(s))
		return NULL;
	return s;
}

/* Publishes ha as the arena at index i, creating its second level. */
static void arena_publish(uintptr_t i, struct heap_arena *ha)
{
	struct heap_arena ***l1 = &arena_l1[i >> ARENA_L2_BITS];
	struct heap_arena **l2 = NULL;
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&arena_lock);
		struct heap_arena **have = *l1;
		if (have == NULL && l2 != NULL) {
			__atomic_store_n(l1, l2, __ATOMIC_RELEASE);
			have = l2;
		}
		if (have != NULL) {
			__atomic_store_n(&have[i & ((1UL << ARENA_L2_BITS) - 1)], ha,
					 __ATOMIC_RELEASE);
			spin_unlock_irqrestore(&arena_lock, flags);
			return;
		}
		spin_unlock_irqrestore(&arena_lock, flags);
		l2 = sysalloc_pages(sizeof(struct heap_arena *) << ARENA_L2_BITS,
				    &heapstats.other_sys);
	}
}

void arena_register(uintptr_t base, size_t bytes)
{
	for (uintptr_t a = base; a < base + bytes; a += ARENA_SIZE) {
		struct heap_arena *ha = sysalloc_pages(sizeof *ha, &heapstats.gc_sys);
		arena_publish(a >> ARENA_SHIFT, ha);
	}
}

void spans_set(uintptr_t base, size_t npages, struct mspan *s)
{
	uintptr_t p = base, end = base + npages * HEAP_PAGE_SIZE;
	while (p < end) {
		struct heap_arena *ha = arena_of(p);
		size_t i = arena_page(p);
		for (; i < PAGES_PER_ARENA && p < end; i++, p += HEAP_PAGE_SIZE)
			__atomic_store_n(&ha->spans[i], s, __ATOMIC_RELEASE);
	}
}
