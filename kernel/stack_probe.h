/*
 * Goroutine stacks grow by page faults (kernel/arch.h, Where traps run),
 * and the fault handler maps the new page with vm_map, which takes the
 * address-space lock and the page allocator's locks. Code that takes those
 * locks must therefore never fault on its own stack while holding them, or
 * the handler would wait for a lock its own CPU holds. stack_probe runs
 * first and touches the stack down to STACK_PROBE_BYTES below the stack
 * pointer, a page at a time, so any growth happens before the lock is
 * taken. On a CPU's own stacks the probe only reads mapped memory.
 *
 * The probes nest: vm.c's lock probes STACK_PROBE_LOCKED_BYTES, more than
 * the page allocator's STACK_PROBE_BYTES plus everything vm.c puts on the
 * stack below its lock, so when vm.c calls page_alloc with its lock held
 * the allocator's probe only touches pages the outer one already mapped
 * (a fault there would wait for the lock its own CPU holds).
 */
#ifndef GORT_KERNEL_STACK_PROBE_H
#define GORT_KERNEL_STACK_PROBE_H

#include <stddef.h>

#include "kernel/pagealloc.h"

/* More than any lock holder in pagealloc.c uses below it. */
#define STACK_PROBE_BYTES (8 * 1024)
/* STACK_PROBE_BYTES plus more than vm.c uses below its lock. */
#define STACK_PROBE_LOCKED_BYTES (16 * 1024)

static inline void stack_probe(size_t bytes)
{
	volatile const char *sp = __builtin_frame_address(0);
	for (size_t off = PAGE_SIZE; off <= bytes; off += PAGE_SIZE)
		(void)sp[-(ptrdiff_t)off];
}

#endif
