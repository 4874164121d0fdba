/*
 * run_addr2line.h - symbolizing guest PCs with one long-lived `addr2line -a -f -i -e IMAGE`.
 *
 * The process starts at the first lookup (most runs print no backtrace), then serves every
 * later one over two pipes: the runner writes "0x<pc>\n0\n", addr2line (-a -f -i) echoes
 * each address and answers it with two lines per inlining level, innermost first: the
 * function ("??" when unknown) and "file:line" ("??:0" or "??:?" when unknown); the
 * sentinel 0 marks the end of the reply. addr2line flushes after each address, so a
 * lookup is one round trip. If it cannot start, dies, or takes more than a few seconds to
 * answer, symbolization is turned off for the rest of the run and backtrace lines pass
 * through unchanged.
 */
#ifndef GORT_TOOLS_RUN_ADDR2LINE_H
#define GORT_TOOLS_RUN_ADDR2LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct addr2line {
	const char *image;
	pid_t pid;      /* 0 until the first lookup */
	int to, from;   /* our ends of its stdin and stdout */
	bool dead;      /* failed once: no more lookups */
	char buf[4096]; /* bytes read from addr2line, not yet consumed */
	size_t len;
};

void addr2line_init(struct addr2line *a, const char *image);

/* A console_symbolize_fn (ctx is the struct addr2line): "function at file:line", and for
 * a pc in inlined code ", inlined in caller at file:line" for each level out. */
bool addr2line_symbolize(void *ctx, uint64_t pc, char *out, size_t n);

/* Close the pipes and reap the process. */
void addr2line_close(struct addr2line *a);

#endif
