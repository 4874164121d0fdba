/*
 * test_directives_test: the QEMU test harness's directive parser and output
 * checker (tools/test_directives.c), on inline samples.
 *
 * A typo in a directive must fail loudly with its line number, prose must never
 * be mistaken for a directive, per-arch directives must override or extend the
 * general ones, and each expectation must pass exactly the outputs it
 * describes; the checksum checker must agree with zlib's CRC-32 and catch a
 * single lost or changed byte. Each failed check prints its line; the exit
 * status is 0 only if all pass.
 */
#include "../../tools/test_directives.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

enum { X86 = 0, ARM = 1, RV = 2 };

static int parse(const char *text, struct td_spec *spec, char *err, size_t errlen)
{
	return td_parse(text, strlen(text), spec, err, errlen);
}

/* parse_err returns the error message td_parse gives text ("" if it parses). */
static const char *parse_err(const char *text)
{
	static char err[256];
	struct td_spec spec;
	if (parse(text, &spec, err, sizeof err) == 0) {
		td_spec_free(&spec);
		return "";
	}
	return err;
}

static bool list_eq(const struct td_list *l, const char *const *want, size_t n)
{
	if (l->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(l->v[i], want[i]) != 0)
			return false;
	return l->v[n] == NULL;
}

static const char sample[] =
    "/*\n"
    " * Checks that main's return value: the exit status, on every arch.\n"
    " * See https://pkg.go.dev/runtime for the contract, e.g. exit codes;\n"
    " * nothing here is well-known.\n"
    " *\n"
    " * arches: x86_64 aarch64\n"
    " * cmdline:   GOGC=abc -- alpha beta  \n"
    " * smp: 2\n"
    " * mem: 256M\n"
    " * timeout: 30\n"
    " * x86_64.timeout: 120\n"
    " * runner-args: --accel tcg  --verbose\n"
    " * x86_64.runner-args: --machine q35\n"
    " * x86_64.variant: microvm --machine microvm\n"
    " * expect-exit: 7\n"
    " * aarch64.expect-exit: 9\n"
    " * expect-line: hello, world\n"
    " * expect-line: \"  #0 pc=0x\"\n"
    " * expect-line: \"\"\n"
    " * expect-contains: GOGC\n"
    " * aarch64.expect-contains: semihosting\n"
    " * expect-not-contains: panic:\n"
    " * expect-stderr: gort-run: mark\n"
    " * expect-order: start | \" middle\" | end\n"
    " * expect-checksum\n"
    " */\n"
    "// x86_64.mem: 1G\n"
    "\n"
    "#include <gort.h>\n"
    "// expect-bogus: after the first line of code, comments are prose\n"
    "int main(void) { return 7; }\n";

static void test_parse_sample(void)
{
	struct td_spec spec;
	char err[256];
	if (parse(sample, &spec, err, sizeof err) != 0) {
		fprintf(stderr, "%s:%d: sample does not parse: %s\n", __FILE__, __LINE__, err);
		failures++;
		return;
	}
	CHECK(spec.arches == (1u << X86 | 1u << ARM));
	CHECK(spec.n == 21);
	CHECK(spec.d[0].key == TD_ARCHES && spec.d[0].line == 6);
	CHECK(spec.d[1].key == TD_CMDLINE &&
	      strcmp(spec.d[1].value, "GOGC=abc -- alpha beta") == 0);

	struct td_plan x, a;
	td_plan_for(&spec, X86, &x);
	td_plan_for(&spec, ARM, &a);

	CHECK(strcmp(x.cmdline, "GOGC=abc -- alpha beta") == 0);
	CHECK(x.smp == 2 && strcmp(x.mem, "1G") == 0 && strcmp(a.mem, "256M") == 0);
	CHECK(x.timeout == 120 && a.timeout == 30);
	CHECK(x.expect_exit == 7 && a.expect_exit == 9);
	CHECK(x.expect_checksum && a.expect_checksum);
	static const char *const x_args[] = {"--accel", "tcg", "--verbose", "--machine", "q35"};
	CHECK(list_eq(&x.runner_args, x_args, 5));
	CHECK(list_eq(&a.runner_args, x_args, 3));
	CHECK(x.nvariants == 1 && a.nvariants == 0);
	static const char *const v_args[] = {"--machine", "microvm"};
	CHECK(strcmp(x.variants[0].name, "microvm") == 0);
	CHECK(list_eq(&x.variants[0].args, v_args, 2));
	static const char *const lines[] = {"hello, world", "  #0 pc=0x", ""};
	CHECK(list_eq(&x.line, lines, 3));
	static const char *const a_contains[] = {"GOGC", "semihosting"};
	CHECK(list_eq(&x.contains, a_contains, 1));
	CHECK(list_eq(&a.contains, a_contains, 2));
	CHECK(x.not_contains.n == 1 && strcmp(x.not_contains.v[0], "panic:") == 0);
	CHECK(x.stderr_has.n == 1 && strcmp(x.stderr_has.v[0], "gort-run: mark") == 0);
	CHECK(x.order.n == 1);

	td_plan_free(&x);
	td_plan_free(&a);
	td_spec_free(&spec);
}

static void test_parse_defaults(void)
{
	struct td_spec spec;
	char err[256];
	const char *text = "// Plain test, line comments.\n"
			   "//\n"
			   "//expect-line: ok\n"
			   "int x;\n";
	CHECK(parse(text, &spec, err, sizeof err) == 0);
	CHECK(spec.arches == 7 && spec.n == 1);
	struct td_plan p;
	td_plan_for(&spec, RV, &p);
	CHECK(p.timeout == TD_DEFAULT_TIMEOUT && p.expect_exit == 0 && p.smp == 0);
	CHECK(p.cmdline == NULL && p.mem == NULL && !p.expect_checksum && p.nvariants == 0);
	CHECK(p.line.n == 1 && strcmp(p.line.v[0], "ok") == 0);
	td_plan_free(&p);
	td_spec_free(&spec);

	/* Several allowed exit statuses. */
	CHECK(parse("// expect-exit: 0 125\n", &spec, err, sizeof err) == 0);
	td_plan_for(&spec, RV, &p);
	CHECK(p.nexpect_exits == 2 && p.expect_exits[0] == 0 && p.expect_exits[1] == 125);
	struct td_list fails = {0};
	struct td_run run = {.exit = 125, .out = "", .err = ""};
	td_check(&p, &run, &fails);
	CHECK(fails.n == 0);
	run.exit = 2;
	td_check(&p, &run, &fails);
	CHECK(fails.n == 1 && strstr(fails.v[0], "expected exit 0 or 125, got 2") != NULL);
	td_list_free(&fails);
	td_plan_free(&p);
	td_spec_free(&spec);
	CHECK(strstr(parse_err("// expect-exit: 0 1 2 3 4\n"), "is not a status") != NULL);

	/* Quoted runner arguments keep their blanks. */
	CHECK(parse("// variant: smp4 --smp 4 --cmdline \"-- 4\"\n", &spec, err, sizeof err) == 0);
	td_plan_for(&spec, RV, &p);
	CHECK(p.nvariants == 1 && p.variants[0].args.n == 4);
	CHECK(strcmp(p.variants[0].args.v[3], "-- 4") == 0);
	td_plan_free(&p);
	td_spec_free(&spec);

	/* A Unix time near the host's. */
	CHECK(parse("// expect-unix-time: unix time:\n", &spec, err, sizeof err) == 0);
	td_plan_for(&spec, RV, &p);
	struct td_run timed = {
	    .out = "boot\nunix time: 1000\n", .err = "", .started = 998, .finished = 1001};
	timed.outlen = strlen(timed.out);
	CHECK(td_check(&p, &timed, &fails) == 0);
	timed.started = 1010;
	timed.finished = 1012;
	CHECK(td_check(&p, &timed, &fails) == 1 && strstr(fails.v[0], "not within") != NULL);
	timed.out = "no time here\n";
	timed.outlen = strlen(timed.out);
	CHECK(td_check(&p, &timed, &fails) == 1 && strstr(fails.v[1], "no stdout line") != NULL);
	td_list_free(&fails);
	td_plan_free(&p);
	td_spec_free(&spec);

	CHECK(parse("int main(void) { return 0; }\n", &spec, err, sizeof err) == 0);
	CHECK(spec.n == 0 && spec.arches == 7);
	td_spec_free(&spec);

	/* A one-line block comment, then code on the same line as its end. */
	CHECK(parse("/* expect-exit: 3 */ int x;\n/* expect-exit: 4 */\n", &spec, err,
		    sizeof err) == 0);
	CHECK(spec.n == 1 && strcmp(spec.d[0].value, "3") == 0);
	td_spec_free(&spec);

	/* No trailing newline, CRLF line ends. */
	CHECK(parse("/*\r\n * smp: 3\r\n * expect-checksum", &spec, err, sizeof err) == 0);
	CHECK(spec.n == 2 && strcmp(spec.d[0].value, "3") == 0);
	td_spec_free(&spec);
}

static void test_parse_errors(void)
{
	CHECK(strcmp(parse_err("/*\n * expect-exitt: 7\n */\n"),
		     "line 2: unknown directive \"expect-exitt\"") == 0);
	CHECK(strcmp(parse_err("// expect-checksun\n"),
		     "line 1: unknown directive \"expect-checksun\"") == 0);
	CHECK(strcmp(parse_err("// note: prose that looks like a directive\n"),
		     "line 1: unknown directive \"note\"") == 0);
	CHECK(strcmp(parse_err("// x86.expect-exit: 1\n"),
		     "line 1: unknown arch \"x86\" in \"x86.expect-exit\"") == 0);
	CHECK(strcmp(parse_err("// smp: 1\n// smp: 2\n"), "line 2: smp given twice") == 0);
	CHECK(strcmp(parse_err("// riscv64.smp: 1\n// riscv64.smp: 2\n"),
		     "line 2: riscv64.smp given twice") == 0);
	CHECK(strstr(parse_err("// smp: 0\n"), "smp: \"0\" is not") != NULL);
	CHECK(strstr(parse_err("// smp: two\n"), "is not a CPU count") != NULL);
	CHECK(strstr(parse_err("// mem: 12X\n"), "is not a size") != NULL);
	CHECK(strstr(parse_err("// mem: M\n"), "is not a size") != NULL);
	CHECK(strstr(parse_err("// timeout: 1.5\n"), "is not a number of seconds") != NULL);
	CHECK(strstr(parse_err("// expect-exit: 256\n"), "is not a status") != NULL);
	CHECK(strstr(parse_err("// expect-exit: -1\n"), "is not a status") != NULL);
	CHECK(strcmp(parse_err("// expect-exit:\n"), "line 1: expect-exit needs a value") == 0);
	CHECK(strcmp(parse_err("// expect-checksum: yes\n"),
		     "line 1: expect-checksum takes no value") == 0);
	CHECK(strstr(parse_err("// expect-order: only one\n"), "two or more") != NULL);
	CHECK(strstr(parse_err("// expect-order: a || b\n"), "text 2 is empty") != NULL);
	CHECK(strstr(parse_err("// expect-contains: \"\"\n"), "empty text") != NULL);
	CHECK(strstr(parse_err("// arches: x86_64 sparc\n"), "unknown arch \"sparc\"") != NULL);
	CHECK(strstr(parse_err("// aarch64.arches: aarch64\n"), "cannot take an arch") != NULL);
	CHECK(strstr(parse_err("// variant: a/b --smp 2\n"), "variant name") != NULL);
	CHECK(strstr(parse_err("// variant: m --x\n// x86_64.variant: m --y\n"),
		     "variant m is already defined on line 1") != NULL);
	CHECK(strcmp(parse_err("// x86_64.variant: m --x\n// aarch64.variant: m --y\n"), "") == 0);
	CHECK(strcmp(parse_err("// smp: 1\n// x86_64.smp: 2\n"), "") == 0);
	/* The first bad line is the one reported, after good ones. */
	CHECK(strcmp(parse_err("/*\n * smp: 2\n *\n * expect-lines: x\n */\n"),
		     "line 4: unknown directive \"expect-lines\"") == 0);
}

static void test_prose(void)
{
	const char *text = "/*\n"
			   " * Prose: capitalised words before a colon are prose.\n"
			   " * See http://example.com/x: a URL is prose.\n"
			   " * single\n"
			   " * well-known.\n"
			   " * fatal error: stack overflow (two words before the colon)\n"
			   " * e.g. a sentence\n"
			   " * smp:2 (no space after the colon)\n"
			   " * - a bullet\n"
			   " */\n";
	CHECK(strcmp(parse_err(text), "") == 0);
}

/* run builds a td_run from literal streams. */
static struct td_run run(int exit, const char *out, const char *err)
{
	return (struct td_run){
	    .exit = exit, .out = out, .outlen = strlen(out), .err = err, .errlen = strlen(err)};
}

/* check returns the failure messages of plan text on a run, joined by " / ". */
static const char *check(const char *directives, struct td_run r)
{
	static char buf[2048];
	struct td_spec spec;
	char err[256];
	buf[0] = '\0';
	if (parse(directives, &spec, err, sizeof err) != 0) {
		snprintf(buf, sizeof buf, "parse: %s", err);
		return buf;
	}
	struct td_plan plan;
	struct td_list fail = {0};
	td_plan_for(&spec, X86, &plan);
	size_t n = td_check(&plan, &r, &fail);
	CHECK(n == fail.n);
	for (size_t i = 0; i < fail.n; i++) {
		if (i)
			strncat(buf, " / ", sizeof buf - strlen(buf) - 1);
		strncat(buf, fail.v[i], sizeof buf - strlen(buf) - 1);
	}
	td_list_free(&fail);
	td_plan_free(&plan);
	td_spec_free(&spec);
	return buf;
}

static void test_check(void)
{
	const char *out = "boot\nhello, world\n  #0 pc=0x1\n\nstart x\nmiddle\nend\npartial";

	CHECK(strcmp(check("", run(0, out, "")), "") == 0);
	CHECK(strcmp(check("", run(2, out, "")), "expected exit 0, got 2") == 0);
	CHECK(strcmp(check("// expect-exit: 2\n", run(2, out, "")), "") == 0);
	CHECK(strcmp(check("", run(124, "", "")),
		     "expected exit 0, got 124 (124: the runner timed out)") == 0);
	CHECK(strcmp(check("// expect-exit: 3\n", run(-1, "", "")), "") == 0);

	CHECK(strcmp(check("// expect-line: hello, world\n"
			   "// expect-line: \"  #0 pc=0x1\"\n"
			   "// expect-line: \"\"\n"
			   "// expect-line: partial\n",
			   run(0, out, "")),
		     "") == 0);
	CHECK(strcmp(check("// expect-line: hello\n", run(0, out, "")),
		     "no stdout line is \"hello\"") == 0);
	CHECK(strcmp(check("// expect-line: \"\"\n", run(0, "a\nb\n", "")),
		     "no stdout line is \"\"") == 0);

	CHECK(strcmp(check("// expect-contains: lo, wo\n", run(0, out, "")), "") == 0);
	CHECK(strcmp(check("// expect-contains: bye\n", run(0, out, "")),
		     "no stdout line contains \"bye\"") == 0);
	CHECK(strcmp(check("// expect-not-contains: panic\n", run(0, out, "")), "") == 0);
	CHECK(strcmp(check("// expect-not-contains: iddl\n", run(0, out, "")),
		     "stdout line 6 contains \"iddl\": middle") == 0);
	CHECK(strcmp(check("// expect-stderr: QEMU failed\n",
			   run(0, "", "gort-run: QEMU failed (status 1)\n")),
		     "") == 0);
	CHECK(strcmp(check("// expect-stderr: QEMU failed\n", run(0, "QEMU failed", "")),
		     "stderr does not contain \"QEMU failed\"") == 0);

	CHECK(strcmp(check("// expect-order: boot | start | end\n", run(0, out, "")), "") == 0);
	CHECK(strcmp(check("// expect-order: start | x | middle\n", run(0, out, "")), "") == 0);
	CHECK(strcmp(check("// expect-order: end | boot\n", run(0, out, "")),
		     "expect-order: no \"boot\" after \"end\" in stdout") == 0);
	CHECK(strcmp(check("// expect-order: nope | boot\n", run(0, out, "")),
		     "expect-order: stdout has no \"nope\"") == 0);
	CHECK(strcmp(check("// expect-order: \"  #0\" | \"\"middle\"\"\n", run(0, out, "")),
		     "expect-order: no \"\"middle\"\" after \"  #0\" in stdout") == 0);

	/* Per-arch expectations apply only on their arch (check() plans x86_64). */
	CHECK(strcmp(check("// aarch64.expect-contains: bye\n// x86_64.expect-exit: 4\n",
			   run(4, out, "")),
		     "") == 0);

	/* Several failures are all reported, the exit status first. */
	CHECK(strcmp(check("// expect-contains: bye\n// expect-exit: 1\n", run(0, out, "")),
		     "expected exit 1, got 0 / no stdout line contains \"bye\"") == 0);

	CHECK(strcmp(check("// expect-checksum\n", run(0, out, "")),
		     "no checksum-begin line in stdout") == 0);
}

static void test_crc32(void)
{
	CHECK(td_crc32(0, "", 0) == 0);
	CHECK(td_crc32(0, "123456789", 9) == 0xcbf43926u);
	CHECK(td_crc32(0, "The quick brown fox jumps over the lazy dog", 43) == 0x414fa339u);
	CHECK(td_crc32(td_crc32(0, "1234", 4), "56789", 5) == 0xcbf43926u);
}

/* sealed appends to buf a checksum section around body, as the guest prints it. */
static void sealed(char *buf, size_t cap, const char *body)
{
	unsigned lines = 0;
	for (const char *p = body; *p; p++)
		lines += *p == '\n';
	size_t n = strlen(buf);
	snprintf(buf + n, cap - n, "checksum-begin\n%schecksum: crc32=%08x lines=%u bytes=%zu\n",
		 body, td_crc32(0, body, strlen(body)), lines, strlen(body));
}

static int checksum(const char *out, char *msg, size_t msglen)
{
	return td_check_checksum(out, strlen(out), msg, msglen);
}

static void test_checksum(void)
{
	char out[4096] = "banner\n", msg[512];
	sealed(out, sizeof out, "line 1\n\nline 3 with \t tab\n");
	CHECK(checksum(out, msg, sizeof msg) == 0);

	/* A second section is checked too. */
	strcat(out, "interlude\n");
	sealed(out, sizeof out, "second\n");
	strcat(out, "trailer");
	CHECK(checksum(out, msg, sizeof msg) == 0);

	/* An empty section. */
	CHECK(checksum("checksum-begin\nchecksum: crc32=00000000 lines=0 bytes=0\n", msg,
		       sizeof msg) == 0);

	/* A changed byte. */
	char bad[4096];
	strcpy(bad, out);
	*strstr(bad, "line 3") = 'L';
	CHECK(checksum(bad, msg, sizeof msg) < 0);
	CHECK(strstr(msg, "checksum mismatch on stdout lines 2-6") != NULL);

	/* A lost line: crc, lines and bytes all differ. */
	strcpy(bad, out);
	char *l1 = strstr(bad, "line 1\n");
	memmove(l1, l1 + 7, strlen(l1 + 7) + 1);
	CHECK(checksum(bad, msg, sizeof msg) < 0);
	CHECK(strstr(msg, "lines=3 bytes=26, host") != NULL);
	CHECK(strstr(msg, "lines=2 bytes=19") != NULL);

	/* A line lost from the second section is caught after the first passed. */
	strcpy(bad, out);
	char *s2 = strstr(bad, "second\n");
	memmove(s2, s2 + 7, strlen(s2 + 7) + 1);
	CHECK(checksum(bad, msg, sizeof msg) < 0);
	CHECK(strstr(msg, "checksum mismatch on stdout lines 8-9") != NULL);

	/* Output cut off before the checksum line. */
	CHECK(checksum("checksum-begin\na\nb", msg, sizeof msg) < 0);
	CHECK(strcmp(msg, "checksum-begin on stdout line 1 has no checksum line after it") == 0);

	/* Malformed checksum lines. */
	static const char *const malformed[] = {
	    "checksum: crc32=1234567 lines=0 bytes=0",
	    "checksum: crc32=123456789 lines=0 bytes=0",
	    "checksum: crc32=0000000g lines=0 bytes=0",
	    "checksum: crc32=00000000 lines= bytes=0",
	    "checksum: crc32=00000000 lines=0 bytes=0 extra",
	    "checksum: crc32=00000000 bytes=0 lines=0",
	    "checksum: crc32=00000000 lines=0 bytes=99999999999999999999999",
	    "checksum:",
	};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "checksum-begin\n%s\n", malformed[i]);
		CHECK(checksum(text, msg, sizeof msg) < 0);
		CHECK(strstr(msg, "stdout line 2: malformed checksum line") != NULL);
	}
	/* Upper-case hex is accepted. */
	CHECK(checksum("checksum-begin\n123456789\n"
		       "checksum: crc32=E0117757 lines=1 bytes=10\n",
		       msg, sizeof msg) == 0);
	CHECK(td_crc32(0, "123456789\n", 10) == 0xe0117757u);

	/* "checksum-begin" must be a whole line. */
	CHECK(checksum("xchecksum-begin\n", msg, sizeof msg) < 0);
	CHECK(strcmp(msg, "no checksum-begin line in stdout") == 0);

	/* Bytes are counted raw, NUL included. */
	char withnul[128];
	int n = snprintf(withnul, sizeof withnul, "checksum-begin\na");
	withnul[n++] = '\0';
	n += snprintf(withnul + n, sizeof withnul - (size_t)n,
		      "b\nchecksum: crc32=%08x lines=1 bytes=4\n", td_crc32(0, "a\0b\n", 4));
	CHECK(td_check_checksum(withnul, (size_t)n, msg, sizeof msg) == 0);
}

int main(void)
{
	test_parse_sample();
	test_parse_defaults();
	test_parse_errors();
	test_prose();
	test_check();
	test_crc32();
	test_checksum();
	return check_status("test_directives_test");
}
