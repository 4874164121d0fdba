/*
 * Goroutine stack reservations (stack.h), their reuse, and their growth.
 *
 * Reservations are carved one after another from STACK_CHUNK_SIZE chunks
 * of the kernel's stack region, so the stacks of many goroutines share
 * leaf page tables: a reservation of S bytes costs S/512 bytes of page
 * table (DESIGN.md). Bigger reservations get a range of their own.
 * Layout of one reservation [base, base + size):
 *
 *     base               guard page, never mapped
 *     ...                mapped on demand by the fault handler
 *     stack_mapped_lo    lowest mapped page
 *     ...                the goroutine's frames, growing down from stack_hi
 *     stack_hi           16-byte aligned, just below the struct g
 *     base + size        end of the top page, which holds the struct g
 *
 * A dead goroutine's stack is trimmed to its top page and kept, per size,
 * on a warm list (top page mapped, ready at once) of at most
 * STACK_WARM_MAX stacks; beyond that the top page is unmapped too and the
 * reservation waits on a cold list, so exited goroutines give their
 * memory back while their address space is reused. Each p keeps a small
 * cache of warm stacks of its own (struct stack_cache, Go's p.gFree), so
 * a goroutine that exits and one that starts on the same p take no lock.
 * The warm list is a stack of batches of up to STACK_BATCH stacks, each
 * batch an array kept in the free stack area of its first stack's top
 * page (which is handed out last): a p's cache trades half of itself with
 * the list by copying one array, touching one stack's page rather than
 * every stack's, which matters when a million goroutines start and exit.
 * A dead goroutine's g stays on allgs (as G_DEAD) while its page is
 * mapped, so reuse needs no list update either. Unmapping needs a TLB
 * shootdown (an IPI to every CPU), so stacks to unmap wait in a batch of
 * STACK_FREE_BATCH and share one. The lists are under
 * stack_lock (interrupts off); a size table of STACK_SIZES entries covers
 * every size a program uses in practice, and a stack of a size beyond it
 * is unmapped whole and its address space not reused.
 *
 * Growth: runtime_stack_fault runs in the page-fault handler, on the CPU's
 * exception stack with interrupts off. A fault inside the running
 * goroutine's reservation, above the guard page and below what is mapped,
 * maps every page from the faulting one up (the stack stays contiguous).
 * A fault in the guard page, or just below the reservation with the stack
 * pointer at its bottom (a frame that jumped over the guard page), is a
 * stack overflow: Go's report, a traceback, exit status 2. x86_64 and
 * aarch64 code is built with stack-clash protection (Makefile), so a big
 * frame touches its pages one by one and always meets the guard; riscv64
 * (no such option in GCC 12) relies on the second test, which misses a
 * frame of more than STACK_OVERFLOW_SLOP or one landing in a neighbour's
 * mapped pages. Code that takes
 * the locks vm_map needs probes its stack first (kernel/stack_probe.h).
 */
#include "runtime/stack.h"

#include <string.h>

#include <gort/debug.h>

#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/freeze.h"
#include "kernel/pagealloc.h"
#include "kernel/vm.h"
#include "runtime/malloc.h"
#include "runtime/sched.h"
#include "runtime/settings.h"
#include "runtime/throw.h"
#include "runtime/traceback.h"

#define STACK_CHUNK_SIZE  (64UL * 1024 * 1024)
#define STACK_CHUNK_ALIGN (2UL * 1024 * 1024) /* a leaf page table's span */
/* Warm stacks kept per size: 72 MiB of top pages at most. */
#define STACK_WARM_MAX 16384
/* Stacks that need unmapping wait for this many, to share a shootdown. */
#define STACK_FREE_BATCH 64
#define STACK_SIZES      16
/* How far below its reservation a stack pointer may be for a fault there
 * to count as this goroutine's overflow. */
#define STACK_OVERFLOW_SLOP (64 * 1024)

/* A reservation with nothing mapped, waiting for reuse; its record
 * cannot live in the stack itself. */
struct cold_stack {
	uintptr_t base;
	struct cold_stack *next;
};

/* Half a p's cache: the unit the cache and the warm list trade in. */
#define STACK_BATCH (STACK_CACHE_MAX / 2)

/* Warm stacks gs[0..n), kept in gs[0]'s top page below its struct g. */
struct warm_batch {
	struct warm_batch *next;
	int n;
	struct g *gs[STACK_BATCH];
};

struct stack_list {
	size_t size; /* 0: unused entry */
	struct warm_batch *warm;
	struct cold_stack *cold;
	int nwarm; /* stacks in the warm batches */
};

/* Protected by stack_lock, taken with interrupts off. */
static struct spinlock stack_lock = SPINLOCK_INIT;
static struct stack_list lists[STACK_SIZES];
static uintptr_t carve_next, carve_end;     /* the chunk being carved */
static struct cold_stack *spare_records;    /* records not in use */
static struct g *pending[STACK_FREE_BATCH]; /* dead stacks waiting for free_batch */
static int npending;

static size_t max_size = STACK_DEFAULT_SIZE; /* debug_SetMaxStack; atomic */
static uint64_t mapped_bytes;                /* atomic */

static size_t round_page(size_t n)
{
	return (n + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
}

void stack_init(void)
{
	if (settings.maxstack != 0)
		max_size = round_page((size_t)settings.maxstack);
}

size_t stack_max_size(void)
{
	return __atomic_load_n(&max_size, __ATOMIC_RELAXED);
}

int debug_SetMaxStack(int bytes)
{
	size_t old = stack_max_size();
	size_t n = bytes < STACK_MIN_SIZE ? STACK_MIN_SIZE : round_page((size_t)bytes);
	if (n > STACK_MAX_SIZE)
		n = STACK_MAX_SIZE;
	__atomic_store_n(&max_size, n, __ATOMIC_RELAXED);
	return (int)old;
}

uint64_t stack_mapped_bytes(void)
{
	return __atomic_load_n(&mapped_bytes, __ATOMIC_RELAXED);
}

static void count_mapped(int64_t delta)
{
	__atomic_add_fetch(&mapped_bytes, (uint64_t)delta, __ATOMIC_RELAXED);
}

/* The list for size, made if there is room; NULL otherwise. stack_lock
 * held. */
static struct stack_list *list_for(size_t size)
{
	for (int i = 0; i < STACK_SIZES; i++)
		if (lists[i].size == size)
			return &lists[i];
	for (int i = 0; i < STACK_SIZES; i++)
		if (lists[i].size == 0) {
			lists[i].size = size;
			return &lists[i];
		}
	return NULL;
}

/* Where the warm batch carried by dead stack gp lives: the top of its
 * free stack area. */
static struct warm_batch *batch_in(struct g *gp)
{
	return (struct warm_batch *)((gp->stack_hi - sizeof(struct warm_batch)) & ~(uintptr_t)15);
}

/* The warm list operations; stack_lock held, nwarm is the caller's. */
static void warm_push(struct stack_list *l, struct g *gp)
{
	struct warm_batch *b = l->warm;
	if (b == NULL || b->n == STACK_BATCH) {
		b = batch_in(gp);
		b->next = l->warm;
		b->n = 0;
		l->warm = b;
	}
	b->gs[b->n++] = gp;
}

static struct g *warm_pop(struct stack_list *l)
{
	struct warm_batch *b = l->warm;
	if (b == NULL)
		return NULL;
	struct g *gp = b->gs[--b->n];
	if (b->n == 0)
		l->warm = b->next; /* gp is gs[0], the batch's carrier */
	return gp;
}

static void warm_push_batch(struct stack_list *l, struct g **gs, int n)
{
	struct warm_batch *b = batch_in(gs[0]);
	memcpy(b->gs, gs, (size_t)n * sizeof *gs);
	b->n = n;
	b->next = l->warm;
	l->warm = b;
}

/* Takes the top batch into gs; returns how many stacks it held. */
static int warm_pop_batch(struct stack_list *l, struct g **gs)
{
	struct warm_batch *b = l->warm;
	if (b == NULL)
		return 0;
	int n = b->n;
	memcpy(gs, b->gs, (size_t)n * sizeof *gs);
	l->warm = b->next;
	return n;
}

/* A fresh reservation of size bytes, nothing mapped; 0 when the region is
 * exhausted. stack_lock held. */
static uintptr_t reserve(size_t size)
{
	if (size >= STACK_CHUNK_SIZE / 4)
		return vm_reserve(VM_REGION_STACK, size, STACK_CHUNK_ALIGN);
	if (carve_end - carve_next < size) {
		uintptr_t chunk = vm_reserve(VM_REGION_STACK, STACK_CHUNK_SIZE, STACK_CHUNK_ALIGN);
		if (chunk == 0)
			return 0;
		carve_next = chunk;
		carve_end = chunk + STACK_CHUNK_SIZE;
	}
	uintptr_t base = carve_next;
	carve_next += size;
	return base;
}

/* The struct g of the reservation at base, and its initial stack fields. */
static struct g *g_at(uintptr_t base, size_t size)
{
	uintptr_t top = base + size;
	struct g *gp = (struct g *)((top - sizeof(struct g)) & ~(uintptr_t)63);
	gp->stack_base = base;
	gp->stack_size = size;
	gp->stack_mapped_lo = top - PAGE_SIZE;
	gp->stack_hi = (uintptr_t)gp & ~(uintptr_t)15;
	return gp;
}

/* A dead goroutine's g made new for its next goroutine: zeroed but for
 * its place in allgs and its stack fields. */
static struct g *g_reuse(struct g *dead)
{
	struct g *prev = dead->allprev, *next = dead->allnext;
	bool inallgs = dead->inallgs;
	uintptr_t base = dead->stack_base;
	size_t size = dead->stack_size;
	memset(dead, 0, offsetof(struct g, out.buf)); /* out.len included */
	dead->allprev = prev;
	dead->allnext = next;
	dead->inallgs = inallgs;
	return g_at(base, size);
}

/* This CPU's p's stack cache, or NULL on a CPU without a p. Interrupts
 * off. */
static struct stack_cache *this_cache(void)
{
	struct m *mp = this_m();
	return mp != NULL && mp->p != NULL ? &mp->p->stackcache : NULL;
}

/* Takes a warm stack of size from c, refilling c with a batch from the
 * global warm list when it is empty. Interrupts off. */
static struct g *cache_get(struct stack_cache *c, size_t size)
{
	if (c->size != size) {
		if (c->n != 0)
			return NULL;
		c->size = size;
	}
	if (c->n == 0) {
		spin_lock(&stack_lock);
		struct stack_list *l = list_for(size);
		if (l != NULL) {
			c->n = warm_pop_batch(l, c->gs);
			l->nwarm -= c->n;
		}
		spin_unlock(&stack_lock);
	}
	return c->n != 0 ? c->gs[--c->n] : NULL;
}

struct g *stack_alloc(size_t size, size_t initial)
{
	size = round_page(size);
	initial = initial < PAGE_SIZE ? PAGE_SIZE : round_page(initial);
	struct g *gp = NULL;
	unsigned long flags = arch_irq_save();
	struct stack_cache *c = this_cache();
	if (initial == PAGE_SIZE && c != NULL)
		gp = cache_get(c, size);
	arch_irq_restore(flags);
	if (gp != NULL)
		return g_reuse(gp);
	flags = spin_lock_irqsave(&stack_lock);
	struct stack_list *l = list_for(size);
	uintptr_t base = 0;
	if (initial == PAGE_SIZE && l != NULL && (gp = warm_pop(l)) != NULL) {
		l->nwarm--;
		spin_unlock_irqrestore(&stack_lock, flags);
		return g_reuse(gp);
	}
	struct cold_stack *cold = l != NULL ? l->cold : NULL;
	if (cold != NULL) {
		l->cold = cold->next;
		base = cold->base;
		cold->next = spare_records;
		spare_records = cold;
	} else {
		base = reserve(size);
	}
	spin_unlock_irqrestore(&stack_lock, flags);
	if (base == 0)
		return NULL;
	if (!vm_map(base + size - initial, initial, VM_READ | VM_WRITE))
		return NULL;
	count_mapped((int64_t)initial);
	gp = g_at(base, size); /* fresh pages are zero */
	gp->stack_mapped_lo = base + size - initial;
	return gp;
}

/* Unmaps the stacks of a batch with one TLB shootdown: the pages below
 * the top one, and the top page too of those that will not stay warm;
 * then files each stack on its warm or cold list. Scheduler context. */
static void free_batch(struct g **batch, int n)
{
	struct vm_span spans[STACK_FREE_BATCH];
	uintptr_t bases[STACK_FREE_BATCH];
	size_t sizes[STACK_FREE_BATCH];
	bool warm[STACK_FREE_BATCH];
	int nspans = 0;
	int64_t unmapped = 0;
	unsigned long flags = spin_lock_irqsave(&stack_lock);
	for (int i = 0; i < n; i++) {
		struct g *gp = batch[i];
		bases[i] = gp->stack_base;
		sizes[i] = gp->stack_size;
		uintptr_t top_page = bases[i] + sizes[i] - PAGE_SIZE;
		struct stack_list *l = list_for(sizes[i]);
		warm[i] = l != NULL && l->nwarm < STACK_WARM_MAX;
		if (warm[i])
			l->nwarm++; /* the slot is taken now, filled below */
		uintptr_t end = warm[i] ? top_page : top_page + PAGE_SIZE;
		if (gp->stack_mapped_lo < end) {
			spans[nspans++] =
			    (struct vm_span){gp->stack_mapped_lo, end - gp->stack_mapped_lo};
			unmapped += (int64_t)(end - gp->stack_mapped_lo);
			gp->stack_mapped_lo = top_page;
		}
	}
	spin_unlock_irqrestore(&stack_lock, flags);
	for (int i = 0; i < n; i++)
		if (!warm[i] && batch[i]->inallgs)
			allgremove(batch[i]); /* its g is about to be unmapped */
	vm_unmap_spans(spans, (size_t)nspans);
	count_mapped(-unmapped);
	for (int i = 0; i < n; i++) {
		struct cold_stack *rec = NULL;
		if (!warm[i]) {
			flags = spin_lock_irqsave(&stack_lock);
			rec = spare_records;
			if (rec != NULL)
				spare_records = rec->next;
			spin_unlock_irqrestore(&stack_lock, flags);
			if (rec == NULL)
				rec = persistentalloc(sizeof *rec, sizeof(void *),
						      &heapstats.other_sys);
			if (rec == NULL)
				throw("runtime: out of memory for stack records");
			rec->base = bases[i];
		}
		flags = spin_lock_irqsave(&stack_lock);
		struct stack_list *l = list_for(sizes[i]);
		if (warm[i]) {
			warm_push(l, batch[i]);
		} else if (l != NULL) {
			rec->next = l->cold;
			l->cold = rec;
		} else {
			/* A size beyond the table: its address space is not reused. */
			rec->next = spare_records;
			spare_records = rec;
		}
		spin_unlock_irqrestore(&stack_lock, flags);
	}
}

/* Files a dead stack on the global lists (warm at once if it is only its
 * top page and there is room, else through the unmapping batch). */
static void global_free(struct g *gp)
{
	uintptr_t top_page = gp->stack_base + gp->stack_size - PAGE_SIZE;
	unsigned long flags = spin_lock_irqsave(&stack_lock);
	struct stack_list *l = list_for(gp->stack_size);
	if (gp->stack_mapped_lo == top_page && l != NULL && l->nwarm < STACK_WARM_MAX) {
		warm_push(l, gp);
		l->nwarm++;
		spin_unlock_irqrestore(&stack_lock, flags);
		return;
	}
	pending[npending++] = gp;
	if (npending < STACK_FREE_BATCH) {
		spin_unlock_irqrestore(&stack_lock, flags);
		return;
	}
	struct g *batch[STACK_FREE_BATCH];
	memcpy(batch, pending, sizeof batch);
	npending = 0;
	spin_unlock_irqrestore(&stack_lock, flags);
	free_batch(batch, STACK_FREE_BATCH);
}

void stack_free(struct g *gp)
{
	uintptr_t top_page = gp->stack_base + gp->stack_size - PAGE_SIZE;
	struct stack_cache *c = this_cache();
	if (c == NULL || gp->stack_mapped_lo != top_page ||
	    (c->size != gp->stack_size && c->n != 0)) {
		global_free(gp);
		return;
	}
	c->size = gp->stack_size;
	if (c->n == STACK_CACHE_MAX) {
		/* Full: half goes back to the global lists, as one batch if
		 * the warm list has room. */
		c->n -= STACK_BATCH;
		struct g **half = &c->gs[c->n];
		unsigned long flags = spin_lock_irqsave(&stack_lock);
		struct stack_list *l = list_for(c->size);
		bool room = l != NULL && l->nwarm + STACK_BATCH <= STACK_WARM_MAX;
		if (room) {
			warm_push_batch(l, half, STACK_BATCH);
			l->nwarm += STACK_BATCH;
		}
		spin_unlock_irqrestore(&stack_lock, flags);
		if (!room)
			for (int i = 0; i < STACK_BATCH; i++)
				global_free(half[i]);
	}
	c->gs[c->n++] = gp;
}

/* Go's stack overflow report, from the page-fault handler. */
static _Noreturn void stack_overflow(struct g *gp, const struct trapframe *tf)
{
	freeze_others();
	console_printf("runtime: goroutine stack exceeds %zu-byte limit\n", gp->stack_size);
	console_printf("runtime: sp=%#lx stack=[%#lx, %#lx]\n", (unsigned long)arch_trap_sp(tf),
		       (unsigned long)gp->stack_base,
		       (unsigned long)(gp->stack_base + gp->stack_size));
	console_printf("fatal error: stack overflow\n");
	console_printf("runtime: a goroutine's stack limit is its reservation: raise it for new "
		       "goroutines with debug_SetMaxStack or the boot parameter gort.maxstack= "
		       "(main's is %d MiB)\n\n",
		       STACK_MAIN_SIZE >> 20);
	traceback_goroutine(NULL, gp, arch_trap_pc(tf), arch_trap_fp(tf));
	machine_exit(2);
}

bool runtime_stack_fault(const struct trapframe *tf, uintptr_t addr)
{
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	if (gp == NULL)
		return false;
	uintptr_t guard_end = gp->stack_base + PAGE_SIZE;
	if (addr >= guard_end && addr < gp->stack_mapped_lo) {
		uintptr_t lo = addr & ~(uintptr_t)(PAGE_SIZE - 1);
		if (!vm_map(lo, gp->stack_mapped_lo - lo, VM_READ | VM_WRITE))
			throw("runtime: out of memory growing a goroutine stack");
		count_mapped((int64_t)(gp->stack_mapped_lo - lo));
		__atomic_store_n(&gp->stack_mapped_lo, lo, __ATOMIC_RELEASE);
		return true;
	}
	uintptr_t sp = arch_trap_sp(tf);
	bool in_guard = addr >= gp->stack_base && addr < guard_end;
	bool jumped_guard =
	    addr < gp->stack_base && sp < guard_end && sp + STACK_OVERFLOW_SLOP >= gp->stack_base;
	if (in_guard || jumped_guard)
		stack_overflow(gp, tf);
	return false;
}

bool runtime_stack_bounds(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	if (gp == NULL || addr < gp->stack_mapped_lo || addr >= gp->stack_hi)
		return false;
	*lo = gp->stack_mapped_lo;
	*hi = gp->stack_hi;
	return true;
}
