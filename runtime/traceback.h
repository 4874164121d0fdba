/*
 * Tracebacks in Go's format, symbolized by the image's own table:
 *
 *     goroutine 7 [chan receive]:
 *     worker(...)
 *     	/src/app/main.c:12 +0x2c
 *     created by main in goroutine 1
 *     	/src/app/main.c:30 +0x44
 *
 * Each physical frame of a walk (kernel/backtrace.h) becomes its logical
 * frames, inlined calls first; only the physical frame's file line carries
 * "+0x<offset of the pc in its function>". C frames have no argument words
 * to show, so every function line reads "name(...)", Go's form for a frame
 * whose arguments it cannot print. As in Go, frames of the runtime itself
 * (its sources and the C library's) are left out unless GOTRACEBACK=system
 * or the goroutine is the runtime's own, or nothing else would be left.
 * Without a symbol table the frames print as "  #<n> pc=0x<hex>" lines,
 * which the host runner symbolizes.
 */
#ifndef GORT_RUNTIME_TRACEBACK_H
#define GORT_RUNTIME_TRACEBACK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/backtrace.h"

struct g;

/* Where a traceback goes: the console (buf NULL), or buf[0..cap), of
 * which len bytes are used (never more; the rest is dropped). */
struct tb_writer {
	char *buf;
	size_t len, cap;
};

void tb_printf(struct tb_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The frames of a walk that starts at (pc, fp) on stack, in Go's format;
 * system: show the runtime's own frames too. */
void traceback_walk(struct tb_writer *w, uintptr_t pc, uintptr_t fp, struct stack_bounds stack,
		    bool system);

/* Frames already walked, in the same format. */
void traceback_frames(struct tb_writer *w, const struct backtrace_frame *frames, int n,
		      bool system);

/* "created by f in goroutine N" and the go statement's place, for the
 * goroutine goid created at gopc by goroutine parentgoid (nothing for
 * main). */
void traceback_created_by(struct tb_writer *w, uintptr_t gopc, int64_t goid, int64_t parentgoid);

/* "goroutine N [status, M minutes, locked to thread]:" */
void traceback_header(struct tb_writer *w, struct g *gp);

/* gp's traceback: its header, its frames from (pc, fp) on its stack, and
 * where it was created. */
void traceback_goroutine(struct tb_writer *w, struct g *gp, uintptr_t pc, uintptr_t fp);

/* Every goroutine but skip that is not running, each followed by a blank
 * line (a running one is named, its stack belongs to another CPU).
 * Interrupts off. */
void traceback_others(struct tb_writer *w, struct g *skip);

#endif
