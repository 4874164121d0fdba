/*
 * GODEBUG=tracebackancestors=N: each goroutine remembers the stacks at
 * which its ancestors created their children, up to N generations, and
 * tracebacks print them after its own as Go does:
 *
 *     [originating from goroutine 7]:
 *     spawner(...)
 *     	/src/app/main.c:20 +0x3c
 *     created by main in goroutine 1
 *     	/src/app/main.c:31 +0x44
 *
 * The record is made when the goroutine is created (the creator's frames,
 * its id and its own creation, then the creator's ancestors, oldest last)
 * and is immutable afterwards, so a child shares nothing with its parent
 * and tracebacks read it without a lock. It costs nothing when N is 0 (the
 * default): no walk, no allocation.
 */
#ifndef GORT_RUNTIME_ANCESTORS_H
#define GORT_RUNTIME_ANCESTORS_H

#include <stdint.h>

#include "runtime/traceback.h"

struct g;

/* Reads GODEBUG's tracebackancestors; schedinit, before any goroutine. */
void ancestors_init(void);

/* The ancestry record for a goroutine that the running one starts now,
 * from the creator's frame (pc, fp); NULL when ancestry is off (at once,
 * for the price of one load) or outside a goroutine. Goroutine context,
 * interrupts on. */
struct ancestors *ancestors_capture(uintptr_t pc, uintptr_t fp);

/* Prints gp's ancestors, if any, after its traceback. */
void ancestors_print(struct tb_writer *w, const struct g *gp, bool system);

#endif
