/*
 * run_console_test: the runner's console demultiplexer (tools/run_console.c) on canned
 * serial streams.
 *
 * What a user would notice if it broke: firmware banners leaking into a test's output
 * (or the boot record being missed), "\r" at every line end, a control record printed or
 * its exit status lost, a backtrace line left unsymbolized or mangled (or the exact pc of
 * an "(interrupted)" frame looked up as if it were a return address), output held back
 * until the end of the run, a --mark reported twice or never, and a --linux console that
 * is not passed through. The stream is fed whole, in odd chunks and byte by byte: the
 * result must not depend on how the pipe cut it. Each failed check prints its line; the
 * exit status is 0 only if all pass.
 */
#define _GNU_SOURCE
#include "tools/run_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		if (strcmp((got), (want)) != 0) {                                                  \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,    \
				(got), (want));                                                    \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* A fake symbolizer: 0x1000 is main, 0x1fff (the lookup for return address 0x2000 in a
 * frame after #0) is a function without line information, and 0x2000 itself (an
 * "(interrupted)" frame's exact pc) is nothing. */
static bool fake_symbolize(void *ctx, uint64_t pc, char *buf, size_t n)
{
	int *calls = ctx;

	(*calls)++;
	if (pc == 0x1000) {
		snprintf(buf, n, "main at hello.c:12");
		return true;
	}
	if (pc == 0x1fff) {
		snprintf(buf, n, "entry");
		return true;
	}
	return false;
}

/* One console writing into memory. */
struct rig {
	struct console con;
	char *out, *diag;
	size_t out_len, diag_len;
	FILE *out_f, *diag_f;
	int sym_calls;
};

static void rig_open(struct rig *r, bool records, const char *mark)
{
	struct console_config cfg;

	memset(r, 0, sizeof *r);
	r->out_f = open_memstream(&r->out, &r->out_len);
	r->diag_f = open_memstream(&r->diag, &r->diag_len);
	cfg = (struct console_config){r->out_f, r->diag_f,      records,
				      mark,     fake_symbolize, &r->sym_calls};
	console_init(&r->con, &cfg);
}

/* rig_feed feeds s in chunks of `chunk` bytes (0: all at once). */
static void rig_feed(struct rig *r, const char *s, size_t len, size_t chunk, double t)
{
	if (chunk == 0)
		chunk = len;
	for (size_t i = 0; i < len; i += chunk)
		console_feed(&r->con, s + i, len - i < chunk ? len - i : chunk, t);
	fflush(r->out_f);
	fflush(r->diag_f);
}

/* rig_puts feeds one C string as one chunk. */
static void rig_puts(struct rig *r, const char *s, double t)
{
	rig_feed(r, s, strlen(s), 0, t);
}

static void rig_close(struct rig *r)
{
	console_finish(&r->con, 99);
	fclose(r->out_f);
	fclose(r->diag_f);
}

static void rig_free(struct rig *r)
{
	console_free(&r->con);
	free(r->out);
	free(r->diag);
}

static const char session[] = "\r\nOpenSBI v1.1\r\n\x1b[2Jfirmware\r\n"
			      "\x1egort:boot\r\n"
			      "hello, world\r\n"
			      "panic: boom\r\n"
			      "  #0 pc=0x0000000000001000\r\n"
			      "  #1 pc=0x0000000000002000\r\n"
			      "  #2 pc=0x0000000000003000\r\n"
			      "  #x pc=0x0000000000001000\r\n"
			      "  #3 pc=0x00000000000010zz\r\n"
			      "  #4 pc=0x\r\n"
			      "  #5 pc=0x0000000000001000 (interrupted)\r\n"
			      "  #6 pc=0x0000000000002000 (interrupted)\r\n"
			      "  #7 pc=0x0000000000001001 (interrupted)x\r\n"
			      "a\rb\r\n"
			      "\x1egort:exit 2\r\n";

static const char session_out[] = "hello, world\n"
				  "panic: boom\n"
				  "  #0 pc=0x0000000000001000 main at hello.c:12\n"
				  "  #1 pc=0x0000000000002000 entry\n"
				  "  #2 pc=0x0000000000003000\n"
				  "  #x pc=0x0000000000001000\n"
				  "  #3 pc=0x00000000000010zz\n"
				  "  #4 pc=0x\n"
				  "  #5 pc=0x0000000000001000 (interrupted) main at hello.c:12\n"
				  "  #6 pc=0x0000000000002000 (interrupted)\n"
				  "  #7 pc=0x0000000000001001 (interrupted)x main at hello.c:12\n"
				  "a\rb\n";

static void test_session(size_t chunk)
{
	struct rig r;

	rig_open(&r, true, NULL);
	rig_feed(&r, session, sizeof session - 1, chunk, 1.0);
	rig_close(&r);
	CHECK_STR(r.out, session_out);
	CHECK_STR(r.diag, "");
	CHECK(r.con.booted);
	CHECK(r.con.exited && r.con.exit_status == 2);
	CHECK(r.sym_calls == 6);
	CHECK(r.con.dropped.len == strlen("\r\nOpenSBI v1.1\r\n\x1b[2Jfirmware\r\n"));
	rig_free(&r);
}

static void test_no_boot(void)
{
	static const char s[] = "SeaBIOS\r\nhi\r\n\x1egort:exit 0\r\n";
	struct rig r;

	rig_open(&r, true, NULL);
	rig_feed(&r, s, sizeof s - 1, 0, 1.0);
	rig_close(&r);
	CHECK_STR(r.out, "");
	CHECK(!r.con.booted && !r.con.exited);
	CHECK(r.con.dropped.len == sizeof s - 1 &&
	      memcmp(r.con.dropped.data, s, sizeof s - 1) == 0);
	rig_free(&r);
}

static void test_dropped_cap(void)
{
	size_t n = 300 * 1024;
	char *junk = malloc(n);
	struct rig r;

	memset(junk, 'x', n);
	rig_open(&r, true, NULL);
	rig_feed(&r, junk, n, 4096, 0);
	rig_close(&r);
	CHECK(r.con.dropped.len == 256 * 1024);
	CHECK(r.con.dropped.len + r.con.dropped_lost == n);
	rig_free(&r);
	free(junk);
}

/* Output must appear as it arrives: a partial line is shown at the end of its chunk, but
 * not a trailing '\r' (half of "\r\n"), a possible record or a possible backtrace line. */
static void test_streaming(void)
{
	struct rig r;

	rig_open(&r, true, NULL);
	rig_puts(&r, "\x1egort:boot\r\nLoading", 0);
	CHECK_STR(r.out, "Loading");
	rig_puts(&r, "...\r", 0);
	CHECK_STR(r.out, "Loading...");
	rig_puts(&r, "\n  #", 0);
	CHECK_STR(r.out, "Loading...\n");
	rig_puts(&r, "0 pc=0x1000", 0);
	CHECK_STR(r.out, "Loading...\n");
	rig_puts(&r, "\r\n ", 0);
	CHECK_STR(r.out, "Loading...\n  #0 pc=0x1000 main at hello.c:12\n");
	rig_puts(&r, " x", 0); /* "  x" can no longer be a backtrace line */
	CHECK_STR(r.out, "Loading...\n  #0 pc=0x1000 main at hello.c:12\n  x");
	rig_puts(&r, "\r\n\x1egort:ex", 0);
	CHECK_STR(r.out, "Loading...\n  #0 pc=0x1000 main at hello.c:12\n  x\n");
	rig_puts(&r, "it 0\r\nbye", 0);
	CHECK(r.con.exited && r.con.exit_status == 0);
	rig_close(&r); /* the unterminated last line is completed */
	CHECK_STR(r.out, "Loading...\n  #0 pc=0x1000 main at hello.c:12\n  x\nbye\n");
	rig_free(&r);
}

/* 0x1E never occurs in text: a record printed mid-line still counts, after the text. */
static void test_record_mid_line(void)
{
	static const char s[] = "\x1egort:boot\r\npanic: half a li\x1egort:exit 2\r\n";
	struct rig r;

	rig_open(&r, true, NULL);
	rig_feed(&r, s, sizeof s - 1, 1, 0);
	rig_close(&r);
	CHECK_STR(r.out, "panic: half a li\n");
	CHECK(r.con.exited && r.con.exit_status == 2);
	rig_free(&r);
}

static void test_records(void)
{
	static const char s[] = "\x1egort:boot\r\n"
				"\x1egort:boot\r\n"     /* repeated: ignored */
				"\x1egort:exit 256\r\n" /* out of range: not an exit */
				"\x1egort:exit -1\r\n"
				"\x1egort:exit 3x\r\n"
				"\x1egort:frobnicate\r\n"
				"\x1enot a record\r\n" /* RS without "gort:" is text */
				"\x1egort:exit 007\r\n"
				"\x1egort:exit 9\r\n"; /* the first exit record wins */
	struct rig r;

	rig_open(&r, true, NULL);
	rig_feed(&r, s, sizeof s - 1, 0, 0);
	rig_close(&r);
	CHECK_STR(r.out, "\x1enot a record\n");
	CHECK(r.con.exited && r.con.exit_status == 7);
	CHECK(strstr(r.diag, "\"gort:exit 256\"") != NULL);
	CHECK(strstr(r.diag, "\"gort:exit -1\"") != NULL);
	CHECK(strstr(r.diag, "\"gort:exit 3x\"") != NULL);
	CHECK(strstr(r.diag, "\"gort:frobnicate\"") != NULL);
	rig_free(&r);
}

static void test_mark(void)
{
	struct rig r;

	rig_open(&r, true, "main reached");
	rig_puts(&r, "\x1egort:boot\r\nstarting\r\nmain ", 0.5);
	CHECK_STR(r.diag, "");
	rig_puts(&r, "reached 42\r\n", 1.25);
	CHECK_STR(r.diag, "gort-run: mark 1.250\n");
	rig_puts(&r, "main reached again\r\n", 2.0);
	rig_close(&r);
	CHECK_STR(r.diag, "gort-run: mark 1.250\n");
	CHECK_STR(r.out, "starting\nmain reached 42\nmain reached again\n");
	rig_free(&r);

	rig_open(&r, true, "main reached"); /* firmware text does not count */
	rig_puts(&r, "main reached\r\n\x1egort:boot\r\n", 0.5);
	rig_close(&r);
	CHECK_STR(r.diag, "");
	rig_free(&r);
}

static void test_linux(size_t chunk)
{
	static const char s[] = "\x1b"
				"c\x1b[?7l\x1b[2Jhello from init\r\n"
				"\x1egort:exit 3\r\n"
				"  #0 pc=0x1000\r\n"
				"\x1b[1mbold\x1b[0m\r\n"
				"[ 2.3] reboot: Power down\r\n";
	struct rig r;

	rig_open(&r, false, "reboot");
	rig_feed(&r, s, sizeof s - 1, chunk, 3.0);
	rig_close(&r);
	CHECK_STR(r.out, "hello from init\n\x1egort:exit 3\n  #0 pc=0x1000\n"
			 "\x1b[1mbold\x1b[0m\n[ 2.3] reboot: Power down\n");
	CHECK(!r.con.exited && r.sym_calls == 0);
	CHECK_STR(r.diag, "gort-run: mark 3.000\n");
	rig_free(&r);
}

static void test_discard(void)
{
	static const char s[] = "\x1egort:boot\r\nspin\r\n\x1egort:exit 0\r\n";
	struct console_config cfg = {.records = true};
	struct console c;

	console_init(&c, &cfg);
	console_feed(&c, s, sizeof s - 1, 0);
	console_finish(&c, 0);
	CHECK(c.booted && c.exited && c.exit_status == 0);
	console_free(&c);
}

int main(void)
{
	size_t chunks[] = {0, 1, 2, 3, 7, 64};

	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		test_session(chunks[i]);
		test_linux(chunks[i]);
	}
	test_no_boot();
	test_dropped_cap();
	test_streaming();
	test_record_mid_line();
	test_records();
	test_mark();
	test_discard();
	return check_status("run_console_test");
}
