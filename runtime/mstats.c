/*
 * runtime_ReadMemStats: Go's MemStats from the allocator's counters, taken
 * at one instant.
 *
 * The counters (struct heapstats) are updated with atomic adds by whoever
 * changes what they count; the mcaches keep two kinds of counts of their
 * own (objects allocated from the cached spans, tiny objects) that are
 * flushed at refill. A consistent reading therefore needs every other CPU
 * held outside the allocator while the counters and the mcaches are read:
 *
 *   1. The reader takes stw_lock (so two readers never park each other;
 *      it spins with interrupts on, so it can itself be parked meanwhile,
 *      and preemption off, so its goroutine keeps the CPU while it holds
 *      the lock),
 *      turns its own interrupts off and sends every other CPU an IPI
 *      (smp_call_others) whose handler parks it.
 *   2. Allocator code runs with interrupts off, so a CPU takes the IPI only
 *      outside the allocator, or inside one of the kernel calls the
 *      allocator makes (page_alloc, vm_map, vm_reserve, vm_unmap), where it
 *      may wait for other CPUs by serving IPIs. The allocator makes those
 *      calls holding none of its locks and with its counters and its
 *      mcache in a consistent state (see mcache.c and mheap.c), so a CPU
 *      parked there is counted correctly and blocks no one.
 *   3. The last CPU to park reads everything (no lock: nothing moves), then
 *      releases the others.
 * With one CPU online the reader reads directly, interrupts off.
 *
 * Page-table bytes (vm_pagetable_bytes, part of OtherSys) come from the
 * address-space layer and are read just before the others are parked, as
 * a parked CPU may hold its lock.
 *
 * Definitions are Go's (mstats.go): TotalAlloc and Mallocs count every
 * object including tiny ones, which count as freed at once (their block is
 * the heap object); Alloc = HeapAlloc = allocated - freed bytes; HeapSys =
 * HeapInuse + HeapIdle; Sys is the sum of every ...Sys field.
 */
#include <string.h>

#include <gort/runtime.h>

#include "kernel/cpu.h"
#include "kernel/smp.h"
#include "kernel/vm.h"
#include "runtime/malloc.h"
#include "runtime/proc.h"
#include "runtime/stack.h"
#include "runtime/settings.h"

#define BYSIZE_CLASSES 61
#define HEAP_MINIMUM   (4ULL << 20) /* Go's first heap goal at GOGC=100 */

struct heapstats heapstats;

/* Serializes readers; taken with interrupts on (see above). */
static struct spinlock stw_lock = SPINLOCK_INIT;

struct stw {
	int want;            /* CPUs to park */
	int arrived;         /* parked so far */
	bool done;           /* the reading is complete */
	uint64_t pagetables; /* vm_pagetable_bytes, read before parking */
	runtime_MemStats *out;
};

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void read_stats(struct stw *w)
{
	runtime_MemStats *m = w->out;
	memset(m, 0, sizeof *m);
	uint64_t allocs[NUM_SIZE_CLASSES], frees[NUM_SIZE_CLASSES];
	uint64_t tiny = load(&heapstats.tiny_alloc_count);
	for (unsigned i = 0; i < NUM_SIZE_CLASSES; i++) {
		allocs[i] = load(&heapstats.small_alloc_count[i]);
		frees[i] = load(&heapstats.small_free_count[i]);
	}
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct mcache *c = mcaches[cpu];
		if (c == NULL)
			continue;
		for (unsigned spc = 0; spc < NUM_SPAN_CLASSES; spc++) {
			const struct mspan *s = c->alloc[spc];
			allocs[spanclass_size(spc)] += s->allocCount - s->allocCountBeforeCache;
		}
		tiny += c->tinyAllocs;
	}
	uint64_t total_alloc = load(&heapstats.large_alloc);
	uint64_t total_free = load(&heapstats.large_free);
	uint64_t nmalloc = load(&heapstats.large_alloc_count) + tiny;
	uint64_t nfree = load(&heapstats.large_free_count) + tiny;
	for (unsigned i = 1; i < NUM_SIZE_CLASSES; i++) {
		total_alloc += allocs[i] * sizeclasses[i].size;
		total_free += frees[i] * sizeclasses[i].size;
		nmalloc += allocs[i];
		nfree += frees[i];
	}
	for (unsigned i = 0; i < BYSIZE_CLASSES; i++) {
		m->BySize[i].Size = sizeclasses[i].size;
		m->BySize[i].Mallocs = allocs[i];
		m->BySize[i].Frees = frees[i];
	}

	m->TotalAlloc = total_alloc;
	m->Alloc = m->HeapAlloc = total_alloc - total_free;
	m->Mallocs = nmalloc;
	m->Frees = nfree;
	m->HeapObjects = nmalloc - nfree;
	m->HeapInuse = load(&heapstats.heap_inuse);
	m->HeapReleased = load(&heapstats.heap_released);
	m->HeapIdle = load(&heapstats.heap_free) + m->HeapReleased;
	m->HeapSys = m->HeapInuse + m->HeapIdle;
	m->MSpanInuse = load(&heapstats.mspan_inuse);
	m->MSpanSys = load(&heapstats.mspan_sys);
	m->MCacheInuse = load(&heapstats.mcache_inuse);
	m->MCacheSys = load(&heapstats.mcache_sys);
	m->GCSys = load(&heapstats.gc_sys);
	m->OtherSys = load(&heapstats.other_sys) + w->pagetables;
	m->StackInuse = m->StackSys = stack_mapped_bytes();
	m->Sys = m->HeapSys + m->StackSys + m->MSpanSys + m->MCacheSys + m->BuckHashSys + m->GCSys +
		 m->OtherSys;
	m->NextGC = settings.gogc < 0 ? (uint64_t)settings.gomemlimit
				      : HEAP_MINIMUM * (uint64_t)settings.gogc / 100;
	m->EnableGC = true;
}

/* The IPI handler of step 1: park, or read if last. */
static void park(void *arg)
{
	struct stw *w = arg;
	if (__atomic_add_fetch(&w->arrived, 1, __ATOMIC_ACQ_REL) == w->want) {
		read_stats(w);
		__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
		return;
	}
	while (!__atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

void runtime_ReadMemStats(runtime_MemStats *m)
{
	preempt_disable(); /* a goroutine holding stw_lock must not be switched out */
	spin_lock(&stw_lock);
	struct stw w = {.out = m, .pagetables = vm_pagetable_bytes()};
	unsigned long flags = arch_irq_save();
	w.want = cpu_online_count() - 1;
	if (w.want == 0)
		read_stats(&w);
	else
		smp_call_others(park, &w);
	arch_irq_restore(flags);
	spin_unlock(&stw_lock);
	preempt_enable();
}
