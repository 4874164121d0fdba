/*
 * The image's own symbol table (the .gort_symtab section the two-pass link
 * fills, runtime/symtab.h reads) and the walks the runtime symbolizes with
 * it: Callers and CallersFrames, FuncForPC, tracebacks.
 *
 * A walk (kernel/backtrace.h) gives physical frames, each a pc that is
 * either exact (where the walk began, or where a trap interrupted) or a
 * return address. Like Go's Callers, the runtime hands out only return
 * addresses: an exact pc is stored as pc + 1, so every consumer looks up
 * pc - 1, which then lies inside the call instruction (or on the
 * interrupted instruction). One physical pc expands to its logical frames,
 * the inlined calls first.
 */
#ifndef GORT_RUNTIME_SYMBOLS_H
#define GORT_RUNTIME_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/backtrace.h"
#include "runtime/symtab.h"

/* The most logical frames one pc expands to (deeper inlining is cut at
 * the innermost end). */
#define SYMBOLS_MAX_INLINE 16

/* The image's table, or NULL if the image carries none (or a malformed
 * one): callers then print raw pcs. Any context; the first call opens it. */
const struct symtab *symbols_table(void);

/* The return-address form of a walk's frame (pc + 1 for an exact pc). */
static inline uintptr_t symbols_return_pc(struct backtrace_frame f)
{
	return f.exact ? f.pc + 1 : f.pc;
}

/* The logical frames at return address pc (looked up at pc - 1),
 * innermost first; 0 when no function holds it. */
int symbols_frames(uintptr_t pc, struct symtab_frame *out, int max);

#endif
