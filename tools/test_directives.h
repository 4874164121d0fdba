/*
 * test_directives.h — the expectation language of gort's QEMU tests.
 *
 * A guest test (tests/qemu/<name>.c) says how to boot it and what a passing
 * run looks like in the comments at its top (everything before its first line
 * of code), one directive per line, written " * key: value" in a block comment
 * or "// key: value":
 *
 *     Checks that main's return value becomes the exit status.
 *
 *     cmdline: GOGC=50 -- alpha beta
 *     expect-exit: 7
 *     expect-line: hello, world
 *     aarch64.expect-stderr: semihosting
 *
 * A comment line is a directive when it starts with a lowercase key made of
 * [a-z0-9_.-] followed by ':' and a space (or the end of the line), or when it
 * is a bare key containing '-' (expect-checksum). Any other line is prose, so
 * prose sentences start with a capital letter. A key the harness does not
 * know fails the test: a typo never passes silently.
 *
 *   arches: A B ...         run only on these arches (default: all)
 *   cmdline: TEXT           boot command line (runner --cmdline)
 *   smp: N                  CPUs (runner --smp)
 *   mem: SIZE               RAM such as 256M or 1G (runner --mem)
 *   timeout: SECONDS        runner --timeout (default 60)
 *   runner-args: ARGS       more runner arguments, split on spaces (repeatable)
 *   variant: NAME ARGS      run once more with these extra runner arguments;
 *                           results and logs are named <test>/NAME (repeatable)
 *   expect-exit: N [M ...]  the runner's exit status, or one of several
 *                           (default 0)
 *   expect-line: TEXT       some stdout line is exactly TEXT
 *   expect-contains: TEXT   some stdout line contains TEXT
 *   expect-not-contains: TEXT  no stdout line contains TEXT
 *   expect-stderr: TEXT     the runner's stderr contains TEXT
 *   expect-order: A | B     A, then later B (then C...) appear in stdout
 *   expect-checksum         every checksum-begin ... "checksum: crc32=%08x
 *                           lines=%u bytes=%u" section of stdout is intact
 *   expect-unix-time: TEXT  a stdout line is TEXT then a Unix time in seconds
 *                           within TD_UNIX_TIME_SLACK of the host's clock
 *                           while the test ran
 *
 * Runner arguments (runner-args, variant) are split on blanks; a double-
 * quoted span keeps its blanks and loses its quotes (--cmdline "-- 4").
 *
 * Every directive but arches may carry an arch prefix ("x86_64.variant:
 * microvm --machine microvm") to apply on that arch only. Values are trimmed;
 * a text value wrapped in double quotes loses that one outer pair, so
 * expect-line: "  #0 pc=0x" keeps its leading spaces and expect-line: ""
 * expects an empty line. Single-valued directives may appear once per arch
 * prefix; list-valued ones (runner-args, variant, expect-* texts) repeat.
 *
 * test_directives.c parses that text into a td_spec, merges the spec into one
 * td_plan per arch, and checks a finished run against a plan. The harness
 * (gort-test.c) owns processes and files; everything here is computation on
 * strings, so tests/unit/test_directives_test.c exercises it without QEMU.
 */
#ifndef GORT_TOOLS_TEST_DIRECTIVES_H
#define GORT_TOOLS_TEST_DIRECTIVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The arches a directive may name, as in build/<arch>/ and --arches. */
enum { TD_NARCH = 3 };
extern const char *const td_arch_name[TD_NARCH];

/* td_arch_index returns the index of the arch spelled by s[0..len), or -1. */
int td_arch_index(const char *s, size_t len);

/* A growable list of owned, NUL-terminated strings; the zero value is empty. */
struct td_list {
	char **v;
	size_t n;
	size_t cap;
};

void td_list_add(struct td_list *l, const char *s);
void td_list_addn(struct td_list *l, const char *s, size_t len);
void td_list_addf(struct td_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* td_list_split appends each whitespace-separated word of s. */
void td_list_split(struct td_list *l, const char *s);
void td_list_free(struct td_list *l);

enum td_key {
	TD_ARCHES,
	TD_CMDLINE,
	TD_SMP,
	TD_MEM,
	TD_TIMEOUT,
	TD_RUNNER_ARGS,
	TD_VARIANT,
	TD_EXPECT_EXIT,
	TD_EXPECT_LINE,
	TD_EXPECT_CONTAINS,
	TD_EXPECT_NOT_CONTAINS,
	TD_EXPECT_STDERR,
	TD_EXPECT_ORDER,
	TD_EXPECT_CHECKSUM,
	TD_EXPECT_UNIX_TIME,
	TD_NKEY
};

/* td_key_name returns the spelling of k in a test source ("expect-exit"). */
const char *td_key_name(enum td_key k);

struct td_directive {
	int line; /* 1-based line of the test source */
	int arch; /* index into td_arch_name, or -1: every arch */
	enum td_key key;
	char *value; /* trimmed, outer quotes removed; "" for a bare directive */
};

/* Everything a test source says about itself. */
struct td_spec {
	struct td_directive *d;
	size_t n;
	unsigned arches; /* bit i set: the test runs on td_arch_name[i] */
};

/*
 * td_parse reads the directives in the leading comment of a test source
 * (text[0..len), need not be NUL-terminated) into *spec. It returns 0, or -1
 * with a message "line N: ..." in err[0..errlen) for the first bad directive
 * (unknown key, unknown arch prefix, malformed or repeated value). On -1 the
 * spec holds nothing that needs freeing.
 */
int td_parse(const char *text, size_t len, struct td_spec *spec, char *err, size_t errlen);
void td_spec_free(struct td_spec *spec);

/* A variant: one more run of the test with extra runner arguments. */
struct td_variant {
	char *name;
	struct td_list args;
};

enum {
	TD_MAX_EXITS = 4,
	TD_UNIX_TIME_SLACK = 5 /* seconds */
};

/* What a test needs and expects on one arch: its spec with that arch merged in. */
struct td_plan {
	char *cmdline;                  /* NULL: no --cmdline */
	int smp;                        /* 0: the runner's default */
	char *mem;                      /* NULL: the runner's default */
	int timeout;                    /* seconds, handed to the runner */
	int expect_exit;                /* 0..255: the first allowed status */
	int expect_exits[TD_MAX_EXITS]; /* every allowed status */
	size_t nexpect_exits;
	bool expect_checksum;
	struct td_list runner_args;  /* words, general ones first */
	struct td_list line;         /* expect-line texts */
	struct td_list contains;     /* expect-contains texts */
	struct td_list not_contains; /* expect-not-contains texts */
	struct td_list stderr_has;   /* expect-stderr texts */
	struct td_list unix_time;    /* expect-unix-time prefixes */
	struct td_list order;        /* expect-order values, "a | b | c" */
	struct td_variant *variants;
	size_t nvariants;
};

enum { TD_DEFAULT_TIMEOUT = 60 };

/*
 * td_plan_for merges the directives of spec that apply to arch: the general
 * ones, then the arch-prefixed ones (which replace single values such as
 * cmdline or expect-exit, and add to lists such as expect-contains).
 */
void td_plan_for(const struct td_spec *spec, int arch, struct td_plan *plan);
void td_plan_free(struct td_plan *plan);

/* A finished run of the runner, as the harness observed it. */
struct td_run {
	int exit; /* the runner's exit status, or -1 if it did not exit by itself */
	int64_t started, finished; /* host Unix time (seconds) around the run */
	const char *out;
	size_t outlen;
	const char *err;
	size_t errlen;
};

/*
 * td_check appends to fail one message per expectation of plan that run does
 * not meet, and returns how many it appended (0: the run passed). With
 * run->exit == -1 the exit status is not checked: the harness reports why.
 */
size_t td_check(const struct td_plan *plan, const struct td_run *run, struct td_list *fail);

/*
 * td_check_checksum checks every "checksum-begin" ... "checksum: crc32=%08x
 * lines=%u bytes=%u" section of out: the CRC-32, line count and byte count of
 * the lines in between, each with its '\n'. Returns 0 if there is at least
 * one section and all agree, else -1 with a message in msg[0..msglen).
 */
int td_check_checksum(const char *out, size_t len, char *msg, size_t msglen);

/* td_crc32 continues the CRC-32 (IEEE 802.3, zlib's crc32()) crc over p[0..n). */
uint32_t td_crc32(uint32_t crc, const void *p, size_t n);

#endif
