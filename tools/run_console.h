/*
 * run_console.h - the serial-console demultiplexer of gort-run.
 *
 * QEMU's serial output arrives as an unstructured byte stream; this module turns it into
 * what the user sees on stdout plus the facts the runner acts on. The console protocol
 * (guest to host):
 *
 *   - The guest ends every line with "\r\n"; the user sees "\n".
 *   - Control records are whole lines starting with the byte 0x1E (ASCII RS) then "gort:".
 *     They are never printed.
 *       "\x1egort:boot"     the first thing the guest prints. Everything before it is
 *                           firmware output (OpenSBI, SeaBIOS) and is dropped, unless the
 *                           record never comes: then the runner shows it on stderr.
 *       "\x1egort:exit N"   printed just before the guest ends QEMU with status N (0..255);
 *                           the runner exits with N.
 *   - Backtrace lines "  #<n> pc=0x<hex>" get " <function> at <file>:<line>" appended
 *     through a symbolizer callback (addr2line on the image, see run_addr2line.h).
 *
 * The module is pure (no processes, no clocks): the caller feeds bytes with the time they
 * arrived, so tests/unit/run_console_test.c drives it with canned streams. The state
 * machine is described at the top of run_console.c.
 */
#ifndef GORT_TOOLS_RUN_CONSOLE_H
#define GORT_TOOLS_RUN_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A symbolizer writes "<function> at <file>:<line>" (or just "<function>" when the line is
 * unknown) for pc into buf and returns true, or returns false when pc resolves to nothing.
 */
typedef bool (*console_symbolize_fn)(void *ctx, uint64_t pc, char *buf, size_t n);

struct console_config {
	FILE *out;        /* where guest text goes; NULL discards it */
	FILE *diag;       /* where the runner's own lines (marks, warnings) go; NULL: none */
	bool records;     /* false in --linux mode: pass everything through, no records */
	const char *mark; /* --mark TEXT, or NULL */
	console_symbolize_fn symbolize; /* NULL: backtrace lines pass unchanged */
	void *symbolize_ctx;
};

/* A growable byte buffer. */
struct console_buf {
	char *data;
	size_t len, cap;
};

struct console {
	struct console_config cfg;

	/* Protocol facts, for the caller. */
	bool booted;     /* "\x1egort:boot" seen (always true without records) */
	bool exited;     /* "\x1egort:exit N" seen */
	int exit_status; /* N of the first exit record */
	bool mark_seen;  /* the mark line was reported */

	/* Stream state. */
	struct console_buf line;    /* the current, incomplete line */
	size_t line_shown;          /* bytes of line already written to out (a partial flush) */
	bool first_line_done;       /* --linux: escape codes are stripped until then */
	struct console_buf dropped; /* bytes before the boot record, capped */
	size_t dropped_lost;        /* dropped bytes beyond the cap, counted only */
};

void console_init(struct console *c, const struct console_config *cfg);
void console_free(struct console *c);

/* console_feed consumes n bytes of serial output that arrived at `seconds` after QEMU
 * started (the time reported for a --mark). */
void console_feed(struct console *c, const char *bytes, size_t n, double seconds);

/* console_finish ends the stream: an unterminated last line is completed as if it had
 * ended with a newline. */
void console_finish(struct console *c, double seconds);

#endif
