/*
 * Reading the environment into the settings table; the rules are in
 * settings.h. The parsing follows Go's runtime (readGOGC, readGOMEMLIMIT,
 * parseByteCount, setTraceback, parsegodebug) so a value means the same in
 * a gort image as in a Go process.
 */
#include "runtime/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/throw.h"

struct settings settings = {
    .gogc = GOGC_DEFAULT,
    .gomemlimit = GOMEMLIMIT_NONE,
    .traceback = {.level = 1},
    .godebug = "",
};

bool go_atoi64(const char *s, int64_t *out)
{
	bool neg = false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s == '\0')
		return false;
	uint64_t n = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (n > (limit - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = neg ? (int64_t)(0 - n) : (int64_t)n;
	return true;
}

bool go_atoi32(const char *s, int32_t *out)
{
	int64_t n;
	if (!go_atoi64(s, &n) || n < INT32_MIN || n > INT32_MAX)
		return false;
	*out = (int32_t)n;
	return true;
}

/* A non-negative integer from the first len bytes of s. */
static bool atoi_prefix_nonneg(const char *s, size_t len, int64_t *out)
{
	char buf[32];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return go_atoi64(buf, out) && *out >= 0;
}

bool go_parse_byte_count(const char *s, int64_t *out)
{
	size_t len = strlen(s);
	if (len == 0)
		return false;
	char last = s[len - 1];
	if (last >= '0' && last <= '9')
		return atoi_prefix_nonneg(s, len, out);
	if (last != 'B' || len < 2)
		return false;
	char unit = s[len - 2];
	if (unit >= '0' && unit <= '9')
		return atoi_prefix_nonneg(s, len - 1, out);
	if (unit != 'i' || len < 4)
		return false;
	int power;
	switch (s[len - 3]) {
	case 'K':
		power = 1;
		break;
	case 'M':
		power = 2;
		break;
	case 'G':
		power = 3;
		break;
	case 'T':
		power = 4;
		break;
	default:
		return false;
	}
	int64_t n;
	if (!atoi_prefix_nonneg(s, len - 3, &n))
		return false;
	uint64_t v = (uint64_t)n;
	for (int i = 0; i < power; i++) {
		if (v > (uint64_t)INT64_MAX / 1024)
			return false;
		v *= 1024;
	}
	*out = (int64_t)v;
	return true;
}

int32_t go_read_gogc(const char *s, bool *malformed)
{
	int32_t n;
	*malformed = false;
	if (strcmp(s, "off") == 0)
		return GOGC_OFF;
	if (go_atoi32(s, &n))
		return n < 0 ? GOGC_OFF : n;
	*malformed = true;
	return GOGC_DEFAULT;
}

struct traceback_setting go_parse_traceback(const char *s)
{
	if (strcmp(s, "none") == 0)
		return (struct traceback_setting){.level = 0};
	if (strcmp(s, "single") == 0 || *s == '\0')
		return (struct traceback_setting){.level = 1};
	if (strcmp(s, "all") == 0)
		return (struct traceback_setting){.level = 1, .all = true};
	if (strcmp(s, "system") == 0)
		return (struct traceback_setting){.level = 2, .all = true};
	if (strcmp(s, "crash") == 0)
		return (struct traceback_setting){.level = 2, .all = true, .crash = true};
	struct traceback_setting t = {.level = 0, .all = true};
	int64_t n;
	if (go_atoi64(s, &n) && n >= 0 && n <= (int64_t)UINT32_MAX)
		t.level = (uint32_t)n;
	return t;
}

bool godebug_find(const char *list, const char *name, char *buf, int n)
{
	size_t namelen = strlen(name);
	bool found = false;
	for (const char *p = list; *p != '\0';) {
		const char *end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) == namelen && memcmp(p, name, namelen) == 0) {
			int vlen = (int)(end - eq - 1);
			if (vlen > n - 1)
				vlen = n - 1;
			memcpy(buf, eq + 1, (size_t)vlen);
			buf[vlen] = '\0';
			found = true;
		}
		p = *end == ',' ? end + 1 : end;
	}
	return found;
}

int64_t godebug_int(const char *name, int64_t dflt)
{
	char buf[32];
	int64_t n;
	if (godebug_find(settings.godebug, name, buf, sizeof buf) && go_atoi64(buf, &n))
		return n;
	return dflt;
}

/* gort's own switches. An entry's parse function returns false when the
 * value is malformed. */
struct gort_switch {
	const char *name;
	bool (*parse)(const char *value);
};

static bool parse_verbose(const char *v)
{
	int32_t n;
	if (!go_atoi32(v, &n))
		return false;
	settings.verbose = n != 0;
	return true;
}

static bool parse_maxstack(const char *v)
{
	int64_t n;
	if (!go_parse_byte_count(v, &n) || n < 16 * 1024 || n > 1024 * 1024 * 1024)
		return false;
	settings.maxstack = n;
	return true;
}

static const struct gort_switch gort_switches[] = {
    {"gort.verbose", parse_verbose},
    {"gort.maxstack", parse_maxstack},
};

static void read_gort_switches(void)
{
	extern char **environ;
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, "gort.", 5) != 0)
			continue;
		const char *eq = strchr(*e, '=');
		size_t namelen = (size_t)(eq - *e);
		const struct gort_switch *sw = NULL;
		for (size_t i = 0; i < sizeof gort_switches / sizeof gort_switches[0]; i++)
			if (strlen(gort_switches[i].name) == namelen &&
			    strncmp(gort_switches[i].name, *e, namelen) == 0)
				sw = &gort_switches[i];
		if (sw == NULL)
			printf("gort: unknown boot parameter %s (ignored)\n", *e);
		else if (!sw->parse(eq + 1))
			printf("gort: malformed boot parameter %s (ignored)\n", *e);
	}
}

static const char *env_or_empty(const char *name)
{
	const char *v = getenv(name);
	return v != NULL ? v : "";
}

void settings_init(void)
{
	const char *v;
	bool malformed;

	v = env_or_empty("GOGC");
	settings.gogc = go_read_gogc(v, &malformed);
	if (*v != '\0' && malformed)
		printf("gort: ignoring malformed GOGC=%s; using %d\n", v, GOGC_DEFAULT);

	v = env_or_empty("GOMEMLIMIT");
	if (*v != '\0' && strcmp(v, "off") != 0) {
		if (!go_parse_byte_count(v, &settings.gomemlimit)) {
			printf("GOMEMLIMIT=%s\n", v);
			throw("malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`");
		}
	}

	v = env_or_empty("GOMAXPROCS");
	int32_t procs;
	if (*v != '\0') {
		if (go_atoi32(v, &procs) && procs > 0)
			settings.gomaxprocs = procs;
		else
			printf("gort: ignoring malformed GOMAXPROCS=%s\n", v);
	}

	settings.traceback = go_parse_traceback(env_or_empty("GOTRACEBACK"));
	settings.godebug = env_or_empty("GODEBUG");
	read_gort_switches();
}
