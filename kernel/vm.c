/*
 * The kernel address space (see vm.h): one page-table tree, walked and
 * edited here for every arch through the entry encoders of kernel/arch.h.
 *
 * Layout. Below 16 TiB is the identity map: the boot map, extended by
 * vm_init to every RAM region of the memory map (but page 0, so that nil
 * dereferences fault) with the largest blocks the arch offers. Its tables
 * come from the page allocator, which hands out only memory every boot
 * map covers until vm_init calls pagealloc_add_high_memory, and are never
 * freed. From 16 TiB to 128 TiB are the three regions, where everything
 * is 4 KiB pages in tables that come and go: a table is made when the
 * first page under it is mapped and freed when the last one is unmapped,
 * so a reservation costs nothing until it is touched and nothing once it
 * is emptied. vm_pagetable_bytes counts every table made here, plus the
 * pages that hold the reservation records.
 *
 * Reservations. Each region hands out address space with a bump pointer
 * and a list of the free ranges below it (sorted, coalesced, first fit).
 * Records for free ranges come from pages of the page allocator, and the
 * pool is kept at least one record per live reservation (plus one per
 * region) ahead: a region's free ranges are separated by live
 * reservations, so vm_release never needs memory.
 *
 * Locking. vm_lock serializes every change to the tree, the regions and
 * the counters, and is held with interrupts off (no preemption while it
 * is held). The holder shoots down with it held, so a CPU waiting for it
 * runs the calls queued for it while it spins (smp_serve_calls): vm calls
 * may be made in any context, interrupt handlers included.
 * vm_fault and vm_mapped take no lock: they walk the tree with interrupts
 * off, and change at most one level-0 entry with a compare-and-swap (the
 * lock holder changes level-0 entries with atomic operations too, as the
 * hardware may set dirty state in them at any time). A table or page is
 * freed only after a TLB shootdown has been acknowledged by every CPU,
 * and a CPU acknowledges between two walks, never in the middle of one:
 * the shootdown is the grace period.
 *
 * Unmapping, in two passes under the lock: the first turns every mapped
 * entry of the range into a stale one (invalid for the MMU, address kept:
 * arch_pte_invalid) and unlinks, the same way, every table left with no
 * valid entry; then one shootdown; the second pass frees the pages and
 * tables the stale entries point to and clears them. Stale entries exist
 * only inside one unmapping, under the lock.
 *
 * Write tracking (the collector's write barrier) uses the arch's written
 * state (hardware dirty bits, or write protection resolved by vm_fault).
 * Arming restricts what a TLB may have cached, so vm_track_writes and
 * vm_written_pages shoot the armed pages down before returning. A write
 * that races with vm_written_pages is never lost: a CPU can only write
 * without leaving a mark through a TLB entry cached while the page was
 * written, so the page is in this call's report, and the shootdown
 * completes before the call returns.
 */
#include "kernel/vm.h"

#include "kernel/arch.h"
#include "kernel/memmap.h"
#include "kernel/pagealloc.h"
#include "kernel/smp.h"
#include "kernel/stack_probe.h"
#include "kernel/tlb.h"
#include "kernel/fatal.h"

#define PT_ENTRIES    (1U << ARCH_PT_INDEX_BITS)
#define ROOT_LEVEL    (ARCH_PT_LEVELS - 1)
#define SPACE_START   (16 * VM_TIB) /* the regions; the identity map is below */
#define SPACE_END     (128 * VM_TIB)
#define NREGIONS      3
#define NIL_GUARD_END PAGE_SIZE /* page 0 stays unmapped: nil dereferences fault */

/* A free range of a region, [start, end). */
struct vm_range {
	uintptr_t start, end;
	struct vm_range *next;
};

#define RANGES_PER_PAGE (PAGE_SIZE / sizeof(struct vm_range))

struct region {
	uintptr_t base, end;   /* fixed */
	uintptr_t bump;        /* [bump, end) was never handed out */
	struct vm_range *free; /* free ranges below bump, by address, coalesced */
};

/* vm_lock, a test-and-set lock whose waiters serve this CPU's cross-CPU
 * calls, protects every field below but root and the level-0 entries
 * (changed with atomic operations by vm_fault and the hardware as well),
 * and every change to the tree. Held with interrupts off; see the top.
 * Not a ticket lock: with more virtual CPUs than host cores, handing the
 * lock in turn to a CPU the host has descheduled stalls every other one
 * (vm_concurrent with 4 CPUs on 2 cores ran 1.6x longer). */
static uint32_t vm_lock; /* 1: held (a word: riscv64 has no byte swap) */
static uint64_t *root;   /* written by vm_init, read-only afterwards */
static struct region regions[NREGIONS] = {
    [VM_REGION_MISC] = {16 * VM_TIB, 32 * VM_TIB, 16 * VM_TIB, NULL},
    [VM_REGION_HEAP] = {32 * VM_TIB, 64 * VM_TIB, 32 * VM_TIB, NULL},
    [VM_REGION_STACK] = {64 * VM_TIB, 128 * VM_TIB, 64 * VM_TIB, NULL},
};
static struct vm_range *spare_ranges; /* unused records */
static uint64_t ranges_total;         /* records in the pool, used or not */
static uint64_t reservations;         /* live reservations, every region */
/* Pages held for tables and records; read without the lock. */
static uint64_t held_pages;

/* Probes the stack first (kernel/stack_probe.h): the stack fault handler
 * takes this lock too. */
static unsigned long lock(void)
{
	stack_probe(STACK_PROBE_LOCKED_BYTES);
	unsigned long flags = arch_irq_save();
	while (__atomic_exchange_n(&vm_lock, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&vm_lock, __ATOMIC_RELAXED) != 0) {
			smp_serve_calls();
			arch_cpu_relax();
		}
	}
	return flags;
}

static void unlock(unsigned long flags)
{
	__atomic_store_n(&vm_lock, 0, __ATOMIC_RELEASE);
	arch_irq_restore(flags);
}

/* ---- The tree -------------------------------------------------------- */

static uint64_t *table_at(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

/* Bytes one entry of a level-level table maps. */
static uintptr_t entry_span(int level)
{
	return (uintptr_t)PAGE_SIZE << (ARCH_PT_INDEX_BITS * level);
}

static unsigned entry_index(uintptr_t va, int level)
{
	return (unsigned)(va >> (PAGE_SHIFT + ARCH_PT_INDEX_BITS * level)) % PT_ENTRIES;
}

/* The first address after the level-level entry span holding va. */
static uintptr_t span_end(uintptr_t va, int level)
{
	return (va | (entry_span(level) - 1)) + 1;
}

static uint64_t load(const uint64_t *e)
{
	return __atomic_load_n(e, __ATOMIC_ACQUIRE);
}

/* Every store to the tree publishes what it links (a zeroed table, a
 * zeroed page) first. */
static void store(uint64_t *e, uint64_t v)
{
	__atomic_store_n(e, v, __ATOMIC_RELEASE);
}

static bool stale(uint64_t e)
{
	return e != 0 && !arch_pte_valid(e);
}

/* A zeroed page for a table, counted; 0 when memory runs out. vm_lock
 * held (or vm_init). */
static uint64_t table_alloc(void)
{
	uint64_t pa = page_alloc_zeroed(1);
	if (pa != 0)
		__atomic_fetch_add(&held_pages, 1, __ATOMIC_RELAXED);
	return pa;
}

static void table_free(uint64_t pa)
{
	page_free(pa, 1);
	__atomic_fetch_sub(&held_pages, 1, __ATOMIC_RELAXED);
}

/* Whether no entry of table is valid (only_zero: every entry is 0). */
static bool table_empty(const uint64_t *table, bool only_zero)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (only_zero ? table[i] != 0 : arch_pte_valid(table[i]))
			return false;
	return true;
}

/* The walk to va's level-0 entry, inside the regions. path[l] is the
 * entry at level l on the way (path[0] the level-0 entry); the walk
 * follows stale links when via_stale is set. Returns path[0], or NULL
 * where a table is missing: then *next is the first address past the
 * hole. With create, missing tables are made instead, and NULL means
 * memory ran out. vm_lock held. */
static uint64_t *walk(uintptr_t va, bool create, bool via_stale, uintptr_t *next, uint64_t **path)
{
	uint64_t *table = root;
	for (int level = ROOT_LEVEL; level > 0; level--) {
		uint64_t *e = &table[entry_index(va, level)];
		path[level] = e;
		uint64_t v = *e;
		if (v == 0 && create) {
			uint64_t t = table_alloc();
			if (t == 0)
				return NULL;
			v = arch_pte_table(t);
			store(e, v);
		} else if (v == 0 || (stale(v) && !via_stale)) {
			if (next != NULL)
				*next = span_end(va, level);
			return NULL;
		} else if (arch_pte_valid(v) && !arch_pte_is_table(v)) {
			fatal("vm: a block mapping inside the address-space regions");
		}
		table = table_at(arch_pte_addr(v));
	}
	path[0] = &table[entry_index(va, 0)];
	return path[0];
}

/* Calls fn(pte, n, va, path, arg) for every run of level-0 entries of
 * [va, end) within one table, skipping missing tables. vm_lock held. */
typedef void run_fn(uint64_t *pte, size_t n, uintptr_t va, uint64_t **path, void *arg);

static void for_each_run(uintptr_t va, uintptr_t end, bool via_stale, run_fn *fn, void *arg)
{
	while (va < end) {
		uint64_t *path[ARCH_PT_LEVELS];
		uintptr_t next;
		uint64_t *pte = walk(va, false, via_stale, &next, path);
		if (pte == NULL) {
			va = next;
			continue;
		}
		uintptr_t stop = span_end(va, 1);
		if (stop > end)
			stop = end;
		fn(pte, (stop - va) >> PAGE_SHIFT, va, path, arg);
		va = stop;
	}
}

/* The lock-free lookup: the valid entry mapping va (a page, or a block of
 * the identity map) or NULL. Interrupts off. */
static uint64_t *lookup(uintptr_t va)
{
	uint64_t *table = root;
	for (int level = ROOT_LEVEL; level >= 0; level--) {
		uint64_t *e = &table[entry_index(va, level)];
		uint64_t v = load(e);
		if (!arch_pte_valid(v))
			return NULL;
		if (level == 0 || !arch_pte_is_table(v))
			return e;
		table = table_at(arch_pte_addr(v));
	}
	return NULL;
}

/* ---- Unmapping ---------------------------------------------------------- */

struct unmap_pass {
	bool unlinked; /* a table was unlinked: flush cached table entries */
	size_t pages;  /* entries made stale */
};

/* Pass one: stale entries, and stale links to tables left empty. */
static void unmap_run(uint64_t *pte, size_t n, uintptr_t va, uint64_t **path, void *arg)
{
	struct unmap_pass *u = arg;
	(void)va;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = load(&pte[i]);
		if (!arch_pte_valid(e))
			continue;
		/* The hardware may set dirty state meanwhile; only the
		 * address, which it never changes, matters here. */
		__atomic_exchange_n(&pte[i], arch_pte_invalid(e), __ATOMIC_ACQ_REL);
		u->pages++;
	}
	for (int level = 1; level <= ROOT_LEVEL; level++) {
		const uint64_t *table = table_at((uintptr_t)path[level - 1] & ~(PAGE_SIZE - 1));
		if (!table_empty(table, false))
			break;
		store(path[level], arch_pte_invalid(*path[level]));
		u->unlinked = true;
	}
}

/* Pass two: frees what the stale entries point to. */
static void reap_run(uint64_t *pte, size_t n, uintptr_t va, uint64_t **path, void *arg)
{
	(void)va;
	(void)arg;
	for (size_t i = 0; i < n; i++) {
		if (stale(pte[i])) {
			page_free(arch_pte_addr(pte[i]), 1);
			store(&pte[i], 0);
		}
	}
	for (int level = 1; level <= ROOT_LEVEL; level++) {
		uint64_t link = *path[level];
		uint64_t *table = table_at((uintptr_t)path[level - 1] & ~(PAGE_SIZE - 1));
		if (!stale(link) || !table_empty(table, true))
			break;
		store(path[level], 0);
		table_free(arch_pte_addr(link));
	}
}

/* Unmaps [va, end) and frees its pages and emptied tables. vm_lock held. */
static void unmap_locked(uintptr_t va, uintptr_t end)
{
	struct unmap_pass u = {false, 0};
	for_each_run(va, end, false, unmap_run, &u);
	if (u.pages == 0 && !u.unlinked)
		return;
	tlb_shootdown(va, u.unlinked ? ARCH_TLB_ALL : end - va);
	for_each_run(va, end, true, reap_run, NULL);
}

/* ---- Reservations -------------------------------------------------------- */

/* Adds a page of range records to the pool. vm_lock held. */
static bool ranges_grow(void)
{
	uint64_t pa = page_alloc(1);
	if (pa == 0)
		return false;
	__atomic_fetch_add(&held_pages, 1, __ATOMIC_RELAXED);
	struct vm_range *r = (struct vm_range *)(uintptr_t)pa;
	for (size_t i = 0; i < RANGES_PER_PAGE; i++) {
		r[i].next = spare_ranges;
		spare_ranges = &r[i];
	}
	ranges_total += RANGES_PER_PAGE;
	return true;
}

static struct vm_range *range_new(uintptr_t start, uintptr_t end, struct vm_range *next)
{
	if (spare_ranges == NULL && !ranges_grow())
		fatal("runtime: out of memory");
	struct vm_range *r = spare_ranges;
	spare_ranges = r->next;
	*r = (struct vm_range){start, end, next};
	return r;
}

static void range_put(struct vm_range *r)
{
	r->next = spare_ranges;
	spare_ranges = r;
}

static uintptr_t align_up(uintptr_t v, uintptr_t align)
{
	return (v + align - 1) & ~(align - 1);
}

/* Returns [start, end) to region rg's free ranges, coalescing, and lowers
 * the bump pointer when the range reaches it. vm_lock held. */
static void region_free(struct region *rg, uintptr_t start, uintptr_t end)
{
	if (end > rg->bump)
		fatal("vm_release of a range that is not reserved");
	struct vm_range **link = &rg->free;
	while (*link != NULL && (*link)->end < start)
		link = &(*link)->next;
	struct vm_range *r = *link; /* the first range that ends at start or later */
	if (r != NULL && r->end == start) {
		struct vm_range *next = r->next;
		if (next != NULL && next->start < end)
			fatal("vm_release of a range that is not reserved");
		r->end = end;
		if (next != NULL && next->start == end) {
			r->end = next->end;
			r->next = next->next;
			range_put(next);
		}
	} else if (r != NULL && r->start < end) {
		fatal("vm_release of a range that is not reserved");
	} else if (r != NULL && r->start == end) {
		r->start = start;
	} else {
		r = *link = range_new(start, end, r);
	}
	if (r->end == rg->bump) { /* r is the last range */
		rg->bump = r->start;
		*link = NULL;
		range_put(r);
	}
}

/* First fit in rg's free ranges, else the bump pointer; 0 if neither has
 * room. vm_lock held, a spare record available. */
static uintptr_t region_take(struct region *rg, size_t bytes, size_t align)
{
	for (struct vm_range **link = &rg->free; *link != NULL; link = &(*link)->next) {
		struct vm_range *r = *link;
		uintptr_t start = align_up(r->start, align);
		if (start < r->start || start > r->end || r->end - start < bytes)
			continue;
		uintptr_t end = start + bytes;
		if (start == r->start && end == r->end) {
			*link = r->next;
			range_put(r);
		} else if (start == r->start) {
			r->start = end;
		} else if (end == r->end) {
			r->end = start;
		} else {
			r->next = range_new(end, r->end, r->next);
			r->end = start;
		}
		return start;
	}
	uintptr_t start = align_up(rg->bump, align);
	if (start < rg->bump || start > rg->end || rg->end - start < bytes)
		return 0;
	uintptr_t gap = rg->bump;
	rg->bump = start + bytes;
	if (start > gap)
		region_free(rg, gap, start);
	return start;
}

uintptr_t vm_reserve(enum vm_region region, size_t bytes, size_t align)
{
	if ((unsigned)region >= NREGIONS || bytes == 0 || (align & (align - 1)) != 0)
		fatal("vm_reserve: bad region, size or alignment");
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	bytes = align_up(bytes, PAGE_SIZE);
	if (bytes == 0)
		return 0;
	unsigned long flags = lock();
	uintptr_t va = 0;
	if (ranges_total >= reservations + NREGIONS + 1 || ranges_grow()) {
		va = region_take(&regions[region], bytes, align);
		if (va != 0)
			reservations++;
	}
	unlock(flags);
	return va;
}

static struct region *region_of(uintptr_t va, size_t bytes)
{
	for (int i = 0; i < NREGIONS; i++)
		if (va >= regions[i].base && va < regions[i].end && bytes <= regions[i].end - va)
			return &regions[i];
	return NULL;
}

static void check_mapped_none(uint64_t *pte, size_t n, uintptr_t va, uint64_t **path, void *arg)
{
	(void)va;
	(void)path;
	(void)arg;
	for (size_t i = 0; i < n; i++)
		if (pte[i] != 0)
			fatal("vm_release of a range with mapped pages");
}

void vm_release(uintptr_t va, size_t bytes)
{
	bytes = align_up(bytes, PAGE_SIZE);
	struct region *rg = region_of(va, bytes);
	if (rg == NULL || va % PAGE_SIZE != 0 || bytes == 0)
		fatal("vm_release of a range that is not reserved");
	unsigned long flags = lock();
	for_each_run(va, va + bytes, false, check_mapped_none, NULL);
	region_free(rg, va, va + bytes);
	if (reservations > 0) /* not below 0 when released in pieces */
		reservations--;
	unlock(flags);
}

/* ---- Mapping ------------------------------------------------------------- */

/* Stops the machine unless [va, va + bytes) is page aligned and inside the
 * regions. */
static void check_range(const char *what, uintptr_t va, size_t bytes)
{
	if (va % PAGE_SIZE != 0 || bytes % PAGE_SIZE != 0 || va < SPACE_START || va > SPACE_END ||
	    bytes > SPACE_END - va)
		fatal(what);
}

bool vm_map(uintptr_t va, size_t bytes, unsigned prot)
{
	check_range("vm_map: range not page aligned or outside the regions", va, bytes);
	uintptr_t end = va + bytes;
	unsigned long flags = lock();
	uint64_t *pte = NULL;
	for (uintptr_t a = va; a < end; a += PAGE_SIZE, pte++) {
		uint64_t *path[ARCH_PT_LEVELS];
		if (pte == NULL || entry_index(a, 0) == 0)
			pte = walk(a, true, false, NULL, path);
		uint64_t pa = 0;
		if (pte != NULL) {
			if (*pte != 0)
				fatal("vm_map of a page that is mapped");
			pa = page_alloc_zeroed(1);
		}
		if (pa == 0) {
			unmap_locked(va, a + PAGE_SIZE);
			unlock(flags);
			return false;
		}
		store(pte, arch_pte_page(pa, prot));
	}
	arch_pt_mapped(va, bytes);
	unlock(flags);
	return true;
}

void vm_unmap(uintptr_t va, size_t bytes)
{
	check_range("vm_unmap: range not page aligned or outside the regions", va, bytes);
	unsigned long flags = lock();
	unmap_locked(va, va + bytes);
	unlock(flags);
}

void vm_unmap_spans(const struct vm_span *spans, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_range("vm_unmap_spans: range not page aligned or outside the regions",
			    spans[i].va, spans[i].bytes);
	unsigned long flags = lock();
	struct unmap_pass u = {false, 0};
	for (size_t i = 0; i < n; i++)
		for_each_run(spans[i].va, spans[i].va + spans[i].bytes, false, unmap_run, &u);
	if (u.pages != 0 || u.unlinked) {
		if (n == 1 && !u.unlinked)
			tlb_shootdown(spans[0].va, spans[0].bytes);
		else
			tlb_shootdown(0, ARCH_TLB_ALL);
		for (size_t i = 0; i < n; i++)
			for_each_run(spans[i].va, spans[i].va + spans[i].bytes, true, reap_run,
				     NULL);
	}
	unlock(flags);
}

struct protect_pass {
	unsigned prot;
	bool restricted; /* some page lost a permission */
};

static void protect_run(uint64_t *pte, size_t n, uintptr_t va, uint64_t **path, void *arg)
{
	struct protect_pass *p = arg;
	(void)va;
	(void)path;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = load(&pte[i]);
		if (!arch_pte_valid(e))
			continue;
		uint64_t next = arch_pte_page(arch_pte_addr(e), p->prot);
		e = __atomic_exchange_n(&pte[i], next, __ATOMIC_ACQ_REL);
		if (arch_pte_prot(e) & ~arch_pte_prot(next))
			p->restricted = true;
	}
}

void vm_protect(uintptr_t va, size_t bytes, unsigned prot)
{
	check_range("vm_protect: range not page aligned or outside the regions", va, bytes);
	struct protect_pass p = {prot | VM_READ, false};
	unsigned long flags = lock();
	for_each_run(va, va + bytes, false, protect_run, &p);
	if (p.restricted)
		tlb_shootdown(va, bytes);
	unlock(flags);
}

bool vm_mapped(uintptr_t va, unsigned *prot)
{
	unsigned long flags = arch_irq_save();
	const uint64_t *e = lookup(va);
	uint64_t v = e != NULL ? load(e) : 0;
	arch_irq_restore(flags);
	if (!arch_pte_valid(v))
		return false;
	if (prot != NULL)
		*prot = arch_pte_prot(v);
	return true;
}

/* ---- Write tracking -------------------------------------------------------- */

struct track_pass {
	uintptr_t base;   /* the range's start: bit 0 of bitmap */
	uint64_t *bitmap; /* NULL: arm every page (vm_track_writes) */
	size_t written;   /* pages found written */
	bool armed;       /* some entry changed */
};

#define BITMAP_WORD_BITS 64

static void track_run(uint64_t *pte, size_t n, uintptr_t va, uint64_t **path, void *arg)
{
	struct track_pass *t = arg;
	(void)path;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = load(&pte[i]);
		for (;;) {
			bool written = arch_pte_written(e); /* the one test on the fast path */
			if (t->bitmap != NULL ? !written : !arch_pte_valid(e))
				break;
			uint64_t clean = arch_pte_clean(e);
			if (clean != e &&
			    !__atomic_compare_exchange_n(&pte[i], &e, clean, false,
							 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				continue;
			t->armed |= clean != e;
			if (t->bitmap != NULL && written) {
				size_t bit = ((va - t->base) >> PAGE_SHIFT) + i;
				t->bitmap[bit / BITMAP_WORD_BITS] |= 1ULL
								     << (bit % BITMAP_WORD_BITS);
				t->written++;
			}
			break;
		}
	}
}

static size_t track(uintptr_t va, size_t bytes, uint64_t *bitmap)
{
	struct track_pass t = {va, bitmap, 0, false};
	unsigned long flags = lock();
	for_each_run(va, va + bytes, false, track_run, &t);
	if (t.armed)
		tlb_shootdown(va, bytes);
	unlock(flags);
	return t.written;
}

void vm_track_writes(uintptr_t va, size_t bytes)
{
	check_range("vm_track_writes: range not page aligned or outside the regions", va, bytes);
	track(va, bytes, NULL);
}

size_t vm_written_pages(uintptr_t va, size_t bytes, uint64_t *bitmap)
{
	check_range("vm_written_pages: range not page aligned or outside the regions", va, bytes);
	return track(va, bytes, bitmap);
}

bool vm_hardware_dirty_bits(void)
{
	return arch_pt_hardware_dirty();
}

uint64_t vm_pagetable_bytes(void)
{
	return __atomic_load_n(&held_pages, __ATOMIC_RELAXED) * PAGE_SIZE;
}

/* Runs in the fault handler, interrupts off, without the lock (see the
 * top): a write to an armed page is recorded and allowed by one
 * compare-and-swap; a fault on an entry that already allows the access
 * came from a stale TLB entry and needs only a local flush. */
bool vm_fault(uintptr_t addr, bool write)
{
	if (addr < SPACE_START || addr >= SPACE_END || root == NULL)
		return false;
	uint64_t *pte = lookup(addr);
	if (pte == NULL)
		return false;
	uint64_t e = load(pte);
	for (;;) {
		if (!arch_pte_valid(e))
			return false;
		uint64_t want = write ? arch_pte_write_fault(e) : e;
		if (want == 0)
			return false;
		if (want == e || __atomic_compare_exchange_n(pte, &e, want, false, __ATOMIC_ACQ_REL,
							     __ATOMIC_ACQUIRE))
			break;
	}
	arch_tlb_flush_local(addr & ~(uintptr_t)(PAGE_SIZE - 1), PAGE_SIZE);
	return true;
}

/* ---- The identity map ----------------------------------------------------- */

/* Maps [start, end) (inside table's span) identically in table, a
 * level-level table, with the largest blocks that fit; what is mapped
 * already stays. vm_init. */
static void identity_map(uint64_t *table, int level, uint64_t start, uint64_t end)
{
	while (start < end) {
		uint64_t *e = &table[entry_index(start, level)];
		uint64_t stop = span_end(start, level);
		if (stop > end)
			stop = end;
		uint64_t v = *e;
		bool whole = start % entry_span(level) == 0 && stop - start == entry_span(level);
		if (v == 0 && (level == 0 || whole) && arch_pte_ram(start, level) != 0) {
			store(e, arch_pte_ram(start, level));
		} else if (v == 0 || (level > 0 && arch_pte_is_table(v))) {
			if (v == 0) {
				uint64_t t = table_alloc();
				if (t == 0)
					fatal("runtime: out of memory");
				v = arch_pte_table(t);
				store(e, v);
			}
			identity_map(table_at(arch_pte_addr(v)), level - 1, start, stop);
		}
		start = stop;
	}
}

void vm_init(void)
{
	root = arch_pt_init();
	int n;
	const struct memmap_region *r = memmap_regions(&n);
	for (int i = 0; i < n; i++) {
		if (r[i].type != MEMMAP_RAM || r[i].size == 0)
			continue;
		uint64_t start = r[i].base & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t end = align_up(r[i].base + r[i].size, PAGE_SIZE);
		if (start < NIL_GUARD_END)
			start = NIL_GUARD_END;
		if (start >= end)
			continue;
		if (end > SPACE_START)
			fatal("vm_init: RAM above 16 TiB, where the address-space regions start");
		identity_map(root, ROOT_LEVEL, start, end);
	}
	arch_tlb_flush_local(0, ARCH_TLB_ALL);
	pagealloc_add_high_memory();
}
