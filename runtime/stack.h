/*
 * Goroutine stacks (DESIGN.md, Memory: goroutine stacks): a virtual
 * reservation per goroutine, the guard page at its bottom never mapped,
 * the top page mapped at creation and holding the struct g, and the pages
 * between mapped by the page-fault handler as the stack grows into them.
 * Stacks never move, so the reservation is the goroutine's maximum stack.
 */
#ifndef GORT_RUNTIME_STACK_H
#define GORT_RUNTIME_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/proc.h"

#define STACK_DEFAULT_SIZE (256 * 1024)       /* a goroutine's reservation */
#define STACK_MAIN_SIZE    (64 * 1024 * 1024) /* main's */
/* main's stack starts with this much mapped: C programs put big buffers
 * in main, and a program that measures its memory from main sees no
 * stack growth in its first figures. */
#define STACK_MAIN_INITIAL (64 * 1024)
#define STACK_MIN_SIZE     (16 * 1024) /* the smallest SetMaxStack takes */
#define STACK_MAX_SIZE     (1024 * 1024 * 1024)

/* A p's own dead stacks of one size, top page mapped, taken and given
 * back without a lock (Go's p.gFree); it trades halves with the global
 * lists when it runs dry or full, as one batch, without touching the
 * stacks themselves. Only the p's CPU, interrupts off. */
#define STACK_CACHE_MAX 64
struct stack_cache {
	size_t size; /* the reservation size it holds */
	int n;
	struct g *gs[STACK_CACHE_MAX];
};

/* A zeroed struct g at the top of a new (or reused) reservation of size
 * bytes (rounded up to pages) with its top initial bytes mapped (at least
 * the top page), and stack_base, stack_size, stack_mapped_lo and stack_hi
 * filled in; NULL when memory or address space ran out. A reused g keeps
 * its place in allgs (g.inallgs). Any context with interrupts on, or the
 * scheduler. */
struct g *stack_alloc(size_t size, size_t initial);

/* Gives the stack of a dead goroutine back for reuse, unmapping all but
 * its top page. Scheduler context (never on the stack itself). */
void stack_free(struct g *gp);

/* Applies gort.maxstack. schedinit, before the first goroutine. */
void stack_init(void);

/* The reservation size for goroutines created from now on
 * (debug_SetMaxStack, gort.maxstack). */
size_t stack_max_size(void);

/* Bytes of stack mapped (MemStats.StackInuse and StackSys). */
uint64_t stack_mapped_bytes(void);

#endif
