/*
 * run_console.c - demultiplexing gort's serial console (the protocol is in run_console.h).
 *
 * The stream is cut into lines at '\n'; one trailing '\r' is dropped, so the guest's "\r\n"
 * becomes "\n" and a lone '\r' elsewhere passes through. Each complete line goes to
 * end_line, which is where everything is decided:
 *
 *   before boot  The line is the boot record: from now on the guest is talking. Anything
 *                else is firmware output (OpenSBI's banner, SeaBIOS escape codes) and is
 *                kept in `dropped`, which the runner shows only if the boot record never
 *                comes.
 *   record       A line starting with 0x1E then "gort:". The verb decides: "boot" again is
 *                ignored, "exit N" records the status. A record never reaches stdout.
 *                File frames ("gort:file ..." followed by base64 lines up to "gort:end")
 *                slot in here: the verb would switch the console into a capture state
 *                that routes the following lines to the frame decoder instead of stdout.
 *   text         Written to stdout with '\n' and flushed, after two optional touches: a
 *                backtrace line ("  #<n> pc=0x<hex>") gets its symbol appended, and the
 *                first line containing the --mark text is reported with its arrival time.
 *
 * A record must start a line, but a guest that dies mid-line may still print one: the
 * byte 0x1E (which never occurs in text) therefore always begins a new line, ending the
 * current one first.
 *
 * Streaming: whole lines are written as they complete, and at the end of every chunk the
 * incomplete line is written too (a prompt or a progress dot should not wait for its
 * newline), unless it could still turn out to be a record or a backtrace line, or is the
 * '\r' of a "\r\n" whose '\n' has not arrived yet. line_shown remembers how much of the
 * current line is already out.
 *
 * In --linux mode (records off) there are no records and no boot record: everything is
 * text from the first byte, except that terminal escape sequences the firmware sends
 * before the first line (SeaBIOS clears the screen) are removed from that line.
 */
#define _GNU_SOURCE
#include "tools/run_console.h"

#include <stdlib.h>
#include <string.h>

enum {
	RS = 0x1e,                /* ASCII record separator: starts a control record */
	DROPPED_CAP = 256 * 1024, /* pre-boot bytes kept for the error report */
	SYMBOL_MAX = 1024,        /* longest " function at file:line" appended */
};

static const char record_prefix[] = "gort:";
static const char backtrace_prefix[] = "  #";

static void buf_reserve(struct console_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1; /* always room for a terminating NUL */

	if (need <= b->cap)
		return;
	b->cap = b->cap == 0 ? 256 : b->cap;
	while (b->cap < need)
		b->cap *= 2;
	b->data = realloc(b->data, b->cap);
	if (b->data == NULL) {
		perror("gort-run");
		exit(125);
	}
}

static void buf_append(struct console_buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void console_init(struct console *c, const struct console_config *cfg)
{
	memset(c, 0, sizeof *c);
	c->cfg = *cfg;
	c->booted = !cfg->records;
	buf_reserve(&c->line, 0);
	c->line.data[0] = '\0';
}

void console_free(struct console *c)
{
	free(c->line.data);
	free(c->dropped.data);
	c->line.data = c->dropped.data = NULL;
}

static void out_write(struct console *c, const char *s, size_t n)
{
	if (c->cfg.out != NULL && n > 0)
		fwrite(s, 1, n, c->cfg.out);
}

/* check_mark reports the first complete line containing the mark text. */
static void check_mark(struct console *c, const char *text, size_t len, double seconds)
{
	if (c->cfg.mark == NULL || c->mark_seen ||
	    memmem(text, len, c->cfg.mark, strlen(c->cfg.mark)) == NULL)
		return;
	c->mark_seen = true;
	if (c->cfg.diag != NULL) {
		fprintf(c->cfg.diag, "gort-run: mark %.3f\n", seconds);
		fflush(c->cfg.diag);
	}
}

/* parse_backtrace recognizes "  #<decimal> pc=0x<hex>", optionally followed by a space and
 * more text, and returns the address to look up: the pc itself for frame #0 (where the
 * trap or the walk began) and for a frame marked "  #<n> pc=0x<hex> (interrupted)" (the pc
 * a trap interrupted, which kernel/backtrace.c finds in the trap frame), pc - 1 for the
 * others, which are return addresses, so that the lookup lands inside the call instruction
 * rather than on the line after it. */
static bool parse_backtrace(const char *s, uint64_t *pc)
{
	static const char interrupted[] = " (interrupted)";
	char *end;

	if (strncmp(s, backtrace_prefix, strlen(backtrace_prefix)) != 0)
		return false;
	s += strlen(backtrace_prefix);
	if (*s < '0' || *s > '9')
		return false;
	bool return_address = strtoul(s, NULL, 10) > 0;
	s += strspn(s, "0123456789");
	if (strncmp(s, " pc=0x", 6) != 0)
		return false;
	s += 6;
	if (strspn(s, "0123456789abcdefABCDEF") == 0)
		return false;
	*pc = strtoull(s, &end, 16);
	if (strncmp(end, interrupted, strlen(interrupted)) == 0 &&
	    (end[strlen(interrupted)] == '\0' || end[strlen(interrupted)] == ' '))
		return_address = false;
	if (return_address && *pc > 0)
		*pc -= 1;
	return *end == '\0' || *end == ' ';
}

/* parse_exit reads the N of "exit N", a decimal from 0 to 255 and nothing else. */
static bool parse_exit(const char *verb, int *status)
{
	const char *digits = verb + 5;
	size_t n = strspn(digits, "0123456789");
	long v;

	if (strncmp(verb, "exit ", 5) != 0 || n == 0 || n > 3 || digits[n] != '\0')
		return false;
	v = strtol(digits, NULL, 10);
	if (v > 255)
		return false;
	*status = (int)v;
	return true;
}

/* handle_record acts on one control record; verb is the text after "\x1egort:". */
static void handle_record(struct console *c, const char *verb)
{
	int status;

	if (strcmp(verb, "boot") == 0)
		return;
	if (parse_exit(verb, &status)) {
		if (!c->exited) {
			c->exited = true;
			c->exit_status = status;
		}
		return;
	}
	if (c->cfg.diag != NULL)
		fprintf(c->cfg.diag, "gort-run: ignoring unknown console record \"%s%s\"\n",
			record_prefix, verb);
}

/* strip_escapes removes ESC c, CSI sequences (ESC [ ... final byte) and other two-byte
 * ESC sequences from s in place and returns the new length. */
static size_t strip_escapes(char *s, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		if (s[r] != '\x1b') {
			s[w++] = s[r++];
			continue;
		}
		r++;
		if (r < len && s[r] == '[') {
			r++;
			while (r < len && !(s[r] >= 0x40 && s[r] <= 0x7e))
				r++;
		}
		if (r < len)
			r++;
	}
	s[w] = '\0';
	return w;
}

static bool is_record(const struct console *c, const char *s)
{
	return c->cfg.records && s[0] == RS &&
	       strncmp(s + 1, record_prefix, strlen(record_prefix)) == 0;
}

static void line_reset(struct console *c)
{
	c->line.len = 0;
	c->line.data[0] = '\0';
	c->line_shown = 0;
}

/* keep_dropped saves pre-boot bytes for the report made when the boot record never comes. */
static void keep_dropped(struct console *c, const char *s, size_t n)
{
	size_t room = c->dropped.len < DROPPED_CAP ? DROPPED_CAP - c->dropped.len : 0;
	size_t keep = n < room ? n : room;

	buf_append(&c->dropped, s, keep);
	c->dropped_lost += n - keep;
}

/* end_line handles one complete line (its '\n', if any, still in the buffer). */
static void end_line(struct console *c, double seconds)
{
	char *s = c->line.data;
	size_t len = c->line.len;
	char sym[SYMBOL_MAX];
	uint64_t pc;

	if (!c->booted) {
		static const char boot[] = "\x1egort:boot";
		size_t body = len;
		if (body > 0 && s[body - 1] == '\n')
			body--;
		if (body > 0 && s[body - 1] == '\r')
			body--;
		if (body == strlen(boot) && memcmp(s, boot, body) == 0)
			c->booted = true;
		else
			keep_dropped(c, s, len);
		line_reset(c);
		return;
	}
	if (len > 0 && s[len - 1] == '\n')
		s[--len] = '\0';
	if (len > 0 && s[len - 1] == '\r')
		s[--len] = '\0';
	if (is_record(c, s)) {
		handle_record(c, s + 1 + strlen(record_prefix));
		line_reset(c);
		return;
	}
	if (!c->cfg.records && !c->first_line_done)
		len = strip_escapes(s, len);
	c->first_line_done = true;
	out_write(c, s + c->line_shown, len - c->line_shown);
	if (c->cfg.records && c->cfg.symbolize != NULL && parse_backtrace(s, &pc) &&
	    c->cfg.symbolize(c->cfg.symbolize_ctx, pc, sym + 1, sizeof sym - 1)) {
		sym[0] = ' ';
		out_write(c, sym, strlen(sym));
	}
	out_write(c, "\n", 1);
	if (c->cfg.out != NULL)
		fflush(c->cfg.out);
	check_mark(c, s, len, seconds);
	line_reset(c);
}

/* may_show_partial says whether the incomplete line can be written before its end: not
 * before boot, not while it may become a record or a backtrace line, and not before the
 * first line in --linux mode (its escape codes are stripped when it completes). */
static bool may_show_partial(const struct console *c)
{
	const char *s = c->line.data;
	size_t n = strlen(backtrace_prefix);

	if (!c->booted || (!c->cfg.records && !c->first_line_done))
		return false;
	if (!c->cfg.records)
		return true;
	if (s[0] == RS)
		return false;
	return strncmp(s, backtrace_prefix, c->line.len < n ? c->line.len : n) != 0;
}

static void show_partial(struct console *c)
{
	size_t len = c->line.len;

	if (len > 0 && c->line.data[len - 1] == '\r')
		len--;
	if (len <= c->line_shown || !may_show_partial(c))
		return;
	out_write(c, c->line.data + c->line_shown, len - c->line_shown);
	if (c->cfg.out != NULL)
		fflush(c->cfg.out);
	c->line_shown = len;
}

void console_feed(struct console *c, const char *bytes, size_t n, double seconds)
{
	for (size_t i = 0; i < n; i++) {
		char b = bytes[i];
		if (b == RS && c->cfg.records && c->line.len > 0) {
			if (c->booted) {
				buf_append(&c->line, "\n", 1);
				end_line(c, seconds);
			} else {
				keep_dropped(c, c->line.data, c->line.len);
				line_reset(c);
			}
		}
		buf_append(&c->line, &b, 1);
		if (b == '\n')
			end_line(c, seconds);
	}
	show_partial(c);
}

void console_finish(struct console *c, double seconds)
{
	if (c->line.len > 0)
		end_line(c, seconds);
}
