/*
 * The runtime's settings table: what a Go program reads from its
 * environment (GOGC, GOMEMLIMIT, GOMAXPROCS, GOTRACEBACK, GODEBUG), read by
 * gort from the boot command line (see kernel/cmdline.h), plus gort's own
 * gort.* switches. Filled once by settings_init at boot, before main; later
 * changes go through the API that owns each value (debug_SetGCPercent, ...).
 *
 * Malformed values get Go's treatment, checked against Go's runtime source:
 *   GOGC         "off" is -1; an integer is taken as is (negative means off);
 *                anything else is ignored (Go is silent; gort says so) and
 *                the default 100 is used.
 *   GOMEMLIMIT   "" or "off" is no limit; otherwise a byte count with an
 *                optional B, KiB, MiB, GiB or TiB suffix; anything else
 *                prints GOMEMLIMIT=<value> and throws
 *                "malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`".
 *   GOMAXPROCS   a positive integer is taken; anything else is ignored.
 *   GOTRACEBACK  none, single (the default), all, system, crash, or a number
 *                N meaning "all" at level N; any other word means "all" at
 *                level 0, as in Go.
 *   GODEBUG      name=value pairs separated by commas; a later pair with the
 *                same name wins; unknown names are kept and ignored.
 *   gort.*       the switches in settings.c's table (gort.verbose=N,
 *                gort.maxstack=<bytes, GOMEMLIMIT syntax, 16 KiB to 1 GiB>);
 *                an unknown one, or a
 *                malformed value, is reported on the console and ignored.
 *
 * The parsers below are pure and are unit-tested on the host.
 */
#ifndef GORT_RUNTIME_SETTINGS_H
#define GORT_RUNTIME_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#define GOGC_DEFAULT    100
#define GOGC_OFF        (-1)
#define GOMEMLIMIT_NONE INT64_MAX

struct traceback_setting {
	uint32_t level; /* 0 none, 1 single/all, 2 system and crash */
	bool all;       /* print every goroutine, not just the failing one */
	bool crash;     /* crash after printing (GOTRACEBACK=crash) */
};

struct settings {
	int32_t gogc;       /* GOGC_OFF or a percentage */
	int64_t gomemlimit; /* bytes; GOMEMLIMIT_NONE when unset */
	int32_t gomaxprocs; /* 0 when unset: the scheduler uses NumCPU */
	struct traceback_setting traceback;
	const char *godebug; /* the GODEBUG string as given, or "" */
	bool verbose;        /* gort.verbose: print the boot details */
	int64_t maxstack;    /* gort.maxstack: goroutine stack reservation, bytes; 0 unset */
};

/* Written only by settings_init, before main; read anywhere afterwards. */
extern struct settings settings;

/* Reads the environment (getenv) into the settings table, reporting
 * malformed values; throws on a malformed GOMEMLIMIT. */
void settings_init(void);

/* Go's atoi: optional '-', then decimal digits, no overflow. */
bool go_atoi64(const char *s, int64_t *out);
bool go_atoi32(const char *s, int32_t *out);

/* Go's parseByteCount (GOMEMLIMIT syntax). */
bool go_parse_byte_count(const char *s, int64_t *out);

/* GOGC: sets *malformed when the value is neither "off" nor an integer. */
int32_t go_read_gogc(const char *s, bool *malformed);

/* GOTRACEBACK as Go's setTraceback reads it. */
struct traceback_setting go_parse_traceback(const char *s);

/* The value of name in a GODEBUG-style list ("a=1,b=2"), last one winning,
 * copied into buf (truncated to n-1 bytes). Returns false if absent. */
bool godebug_find(const char *list, const char *name, char *buf, int n);

/* The GODEBUG setting name as an integer, or dflt when it is absent or not
 * an integer. */
int64_t godebug_int(const char *name, int64_t dflt);

#endif
