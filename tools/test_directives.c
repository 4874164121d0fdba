/*
 * test_directives.c — parse a QEMU test's directives, merge them per arch,
 * and check a run against them. The language is described in
 * test_directives.h.
 *
 * Parsing walks the source line by line while it is inside comments: blank
 * lines, "//" lines and block comments (with the conventional leading '*'
 * of each continuation line removed). The first line of code ends the
 * walk, so the comment block at the top of a test is its specification and
 * comments further down are free prose. Each comment line is then classified
 * as prose or a directive by its shape alone (a lowercase key, ':' and a
 * space); a directive is looked up in keys[] and validated at once, so every
 * mistake is reported with its line number before anything is booted.
 *
 * Merging (td_plan_for) applies the general directives and then those with
 * the arch's prefix, so "x86_64.timeout: 120" overrides "timeout: 30" for
 * x86_64 whatever their order in the file. Parsing has already rejected a
 * single-valued key given twice with the same prefix.
 *
 * Checking (td_check) treats stdout as one byte string: expectation texts
 * never contain '\n', so "some line contains T" is a substring search, and
 * expect-order searches each text after the end of the previous match. The
 * checksum checker recomputes zlib's CRC-32 over the lines between
 * "checksum-begin" and the guest's "checksum:" line, which lets a test print
 * large deterministic output and prove none of it was lost or garbled.
 */
#include "tools/host.h"
#include "test_directives.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const td_arch_name[TD_NARCH] = {"x86_64", "aarch64", "riscv64"};

/* Key flags: how a directive's value is validated and merged. */
enum {
	K_REPEAT = 1, /* may appear more than once per arch prefix */
	K_BARE = 2,   /* takes no value */
	K_TEXT = 4,   /* a text to look for: outer double quotes are removed */
	K_NOARCH = 8, /* may not carry an arch prefix */
};

static const struct {
	const char *name;
	unsigned flags;
} keys[TD_NKEY] = {
    [TD_ARCHES] = {"arches", K_NOARCH},
    [TD_CMDLINE] = {"cmdline", 0},
    [TD_SMP] = {"smp", 0},
    [TD_MEM] = {"mem", 0},
    [TD_TIMEOUT] = {"timeout", 0},
    [TD_RUNNER_ARGS] = {"runner-args", K_REPEAT},
    [TD_VARIANT] = {"variant", K_REPEAT},
    [TD_EXPECT_EXIT] = {"expect-exit", 0},
    [TD_EXPECT_LINE] = {"expect-line", K_REPEAT | K_TEXT},
    [TD_EXPECT_CONTAINS] = {"expect-contains", K_REPEAT | K_TEXT},
    [TD_EXPECT_NOT_CONTAINS] = {"expect-not-contains", K_REPEAT | K_TEXT},
    [TD_EXPECT_STDERR] = {"expect-stderr", K_REPEAT | K_TEXT},
    [TD_EXPECT_ORDER] = {"expect-order", K_REPEAT},
    [TD_EXPECT_CHECKSUM] = {"expect-checksum", K_BARE},
    [TD_EXPECT_UNIX_TIME] = {"expect-unix-time", K_REPEAT | K_TEXT},
};

const char *td_key_name(enum td_key k)
{
	return keys[k].name;
}

int td_arch_index(const char *s, size_t len)
{
	for (int i = 0; i < TD_NARCH; i++)
		if (strlen(td_arch_name[i]) == len && memcmp(td_arch_name[i], s, len) == 0)
			return i;
	return -1;
}

void td_list_addn(struct td_list *l, const char *s, size_t len)
{
	if (l->n + 1 >= l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = xstrndup(s, len);
	l->v[l->n] = NULL; /* so v can serve as an argv */
}

void td_list_add(struct td_list *l, const char *s)
{
	td_list_addn(l, s, strlen(s));
}

void td_list_addf(struct td_list *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *buf = xrealloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	td_list_addn(l, buf, (size_t)n);
	free(buf);
}

void td_list_split(struct td_list *l, const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return;
		char *w = xrealloc(NULL, strlen(s) + 1);
		size_t n = 0;
		bool quoted = false;
		for (; *s && (quoted || !isspace((unsigned char)*s)); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				w[n++] = *s;
		}
		td_list_addn(l, w, n);
		free(w);
	}
}

void td_list_free(struct td_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blank(const char *s, const char *e)
{
	while (s < e && is_blank(*s))
		s++;
	return s;
}

static const char *trim_end(const char *s, const char *e)
{
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return e;
}

/* unquote strips one pair of outer double quotes from s[0..*len), in place. */
static const char *unquote(const char *s, size_t *len)
{
	if (*len >= 2 && s[0] == '"' && s[*len - 1] == '"') {
		*len -= 2;
		return s + 1;
	}
	return s;
}

/*
 * order_split appends the texts of an expect-order value ("a | b | c"),
 * each trimmed and unquoted, to pieces.
 */
static void order_split(const char *v, struct td_list *pieces)
{
	for (;;) {
		const char *bar = strchr(v, '|');
		const char *e = bar ? bar : v + strlen(v);
		const char *s = skip_blank(v, e);
		size_t n = (size_t)(trim_end(s, e) - s);
		s = unquote(s, &n);
		td_list_addn(pieces, s, n);
		if (!bar)
			return;
		v = bar + 1;
	}
}

/* parse_int reads a whole decimal value in [lo, hi]; returns -1 otherwise. */
static long parse_int(const char *s, long lo, long hi)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > hi)
			return -1;
	}
	return v < lo ? -1 : v;
}

struct parser {
	struct td_spec *spec;
	bool seen[TD_NKEY][TD_NARCH + 1]; /* single-valued keys given, per prefix */
	char *err;
	size_t errlen;
	int line;
};

static int fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	int n = snprintf(ps->err, ps->errlen, "line %d: ", ps->line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_word_start(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_word_char(char c)
{
	return is_word_start(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static const char *scan_word(const char *s, const char *e)
{
	if (s == e || !is_word_start(*s))
		return s;
	while (s < e && is_word_char(*s))
		s++;
	return s;
}

/* check_variant validates "NAME ARGS..." and rejects a name already in use. */
static int check_variant(struct parser *ps, int arch, const char *v)
{
	size_t n = 0;
	while (v[n] && !isspace((unsigned char)v[n])) {
		char c = v[n];
		if (!isalnum((unsigned char)c) && c != '_' && c != '-')
			return fail(ps,
				    "variant name \"%.*s\" may hold only letters, digits, "
				    "'_' and '-'",
				    (int)strcspn(v, " \t"), v);
		n++;
	}
	for (size_t i = 0; i < ps->spec->n; i++) {
		const struct td_directive *d = &ps->spec->d[i];
		if (d->key != TD_VARIANT || (d->arch != arch && d->arch != -1 && arch != -1))
			continue;
		if (strncmp(d->value, v, n) == 0 &&
		    (d->value[n] == '\0' || isspace((unsigned char)d->value[n])))
			return fail(ps, "variant %.*s is already defined on line %d", (int)n, v,
				    d->line);
	}
	return 0;
}

/* check_value validates the value of one directive; returns 0 or -1. */
static int check_value(struct parser *ps, enum td_key key, int arch, const char *v)
{
	const char *name = keys[key].name;
	switch (key) {
	case TD_ARCHES: {
		unsigned mask = 0;
		for (const char *s = v; *s;) {
			size_t n = strcspn(s, " \t");
			int a = td_arch_index(s, n);
			if (a < 0)
				return fail(ps, "arches: unknown arch \"%.*s\"", (int)n, s);
			mask |= 1u << a;
			s += n;
			s += strspn(s, " \t");
		}
		ps->spec->arches = mask;
		return 0;
	}
	case TD_SMP:
		if (parse_int(v, 1, 255) < 0)
			return fail(ps, "smp: \"%s\" is not a CPU count from 1 to 255", v);
		return 0;
	case TD_MEM: {
		size_t n = strspn(v, "0123456789");
		if (n == 0 || (v[n] && (!strchr("KMGTkmgt", v[n]) || v[n + 1])))
			return fail(ps, "mem: \"%s\" is not a size such as 256M or 1G", v);
		return 0;
	}
	case TD_TIMEOUT:
		if (parse_int(v, 1, 86400) < 0)
			return fail(
			    ps, "timeout: \"%s\" is not a number of seconds from 1 to 86400", v);
		return 0;
	case TD_EXPECT_EXIT: {
		struct td_list words = {0};
		td_list_split(&words, v);
		int rc = words.n == 0 || words.n > TD_MAX_EXITS ? -1 : 0;
		for (size_t i = 0; rc == 0 && i < words.n; i++)
			if (parse_int(words.v[i], 0, 255) < 0)
				rc = -1;
		td_list_free(&words);
		if (rc < 0)
			return fail(ps,
				    "expect-exit: \"%s\" is not a status from 0 to 255 "
				    "(or up to %d of them)",
				    v, TD_MAX_EXITS);
		return 0;
	}
	case TD_VARIANT:
		return check_variant(ps, arch, v);
	case TD_EXPECT_ORDER: {
		struct td_list pieces = {0};
		order_split(v, &pieces);
		int rc = 0;
		if (pieces.n < 2)
			rc = fail(ps, "expect-order needs two or more texts separated by '|'");
		for (size_t i = 0; rc == 0 && i < pieces.n; i++)
			if (!pieces.v[i][0])
				rc = fail(ps, "expect-order: text %zu is empty", i + 1);
		td_list_free(&pieces);
		return rc;
	}
	case TD_EXPECT_CONTAINS:
	case TD_EXPECT_NOT_CONTAINS:
	case TD_EXPECT_STDERR:
	case TD_EXPECT_UNIX_TIME:
		if (!*v)
			return fail(ps, "%s: an empty text would match anything", name);
		return 0;
	case TD_CMDLINE:
	case TD_RUNNER_ARGS:
	case TD_EXPECT_LINE:
	case TD_EXPECT_CHECKSUM:
	case TD_NKEY:
		return 0;
	}
	return 0;
}

/*
 * directive reads one comment line s[0..e) (comment markers removed). Prose is
 * ignored; a directive is validated and appended to the spec. Returns 0 or -1.
 */
static int directive(struct parser *ps, const char *s, const char *e)
{
	s = skip_blank(s, e);
	e = trim_end(s, e);
	const char *w1 = scan_word(s, e), *k = s, *ke = w1;
	if (w1 == s)
		return 0;
	if (w1 < e && *w1 == '.') { /* arch prefix */
		k = w1 + 1;
		ke = scan_word(k, e);
		if (ke == k)
			return 0;
	}
	const char *v = ke, *ve = e;
	bool bare = ke == e;
	if (bare) {
		if (!memchr(k, '-', (size_t)(ke - k)))
			return 0; /* a single word on a line is prose */
	} else if (*ke == ':' && (ke + 1 == e || is_blank(ke[1]))) {
		v = skip_blank(ke + 1, e);
	} else {
		return 0;
	}

	int arch = -1;
	if (k != s) {
		arch = td_arch_index(s, (size_t)(w1 - s));
		if (arch < 0)
			return fail(ps, "unknown arch \"%.*s\" in \"%.*s\"", (int)(w1 - s), s,
				    (int)(ke - s), s);
	}
	int key = 0;
	while (key < TD_NKEY && (strlen(keys[key].name) != (size_t)(ke - k) ||
				 memcmp(keys[key].name, k, (size_t)(ke - k)) != 0))
		key++;
	if (key == TD_NKEY)
		return fail(ps, "unknown directive \"%.*s\"", (int)(ke - s), s);
	unsigned flags = keys[key].flags;
	const char *name = keys[key].name;
	if (arch >= 0 && (flags & K_NOARCH))
		return fail(ps, "%s cannot take an arch prefix", name);
	if ((flags & K_BARE) && v < ve)
		return fail(ps, "%s takes no value", name);
	if (!(flags & K_BARE) && v == ve)
		return fail(ps, "%s needs a value", name);
	if (!(flags & K_REPEAT)) {
		bool *seen = &ps->seen[key][arch + 1];
		if (*seen)
			return fail(ps, "%s%s%s given twice", arch >= 0 ? td_arch_name[arch] : "",
				    arch >= 0 ? "." : "", name);
		*seen = true;
	}
	size_t vn = (size_t)(ve - v);
	if (flags & K_TEXT)
		v = unquote(v, &vn);
	char *value = xstrndup(v, vn);
	if (check_value(ps, (enum td_key)key, arch, value) < 0) {
		free(value);
		return -1;
	}
	struct td_spec *sp = ps->spec;
	sp->d = xrealloc(sp->d, (sp->n + 1) * sizeof *sp->d);
	sp->d[sp->n++] = (struct td_directive){
	    .line = ps->line, .arch = arch, .key = (enum td_key)key, .value = value};
	return 0;
}

int td_parse(const char *text, size_t len, struct td_spec *spec, char *err, size_t errlen)
{
	struct parser ps = {.spec = spec, .err = err, .errlen = errlen};
	const char *p = text, *end = text + len;
	bool in_block = false;

	memset(spec, 0, sizeof *spec);
	spec->arches = (1u << TD_NARCH) - 1;
	if (errlen)
		err[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = nl ? nl : end;
		bool code_follows = false;
		p = nl ? nl + 1 : end;
		ps.line++;
		if (!in_block) {
			s = skip_blank(s, e);
			if (trim_end(s, e) == s)
				continue;
			if (e - s >= 2 && s[0] == '/' && s[1] == '/') {
				s += 2;
			} else if (e - s >= 2 && s[0] == '/' && s[1] == '*') {
				s += 2;
				in_block = true;
			} else {
				break; /* the first line of code */
			}
		}
		if (in_block) {
			const char *close = s;
			while (close + 1 < e && !(close[0] == '*' && close[1] == '/'))
				close++;
			if (close + 1 < e) {
				in_block = false;
				code_follows = trim_end(close + 2, e) != skip_blank(close + 2, e);
				e = close;
			}
			s = skip_blank(s, e);
			if (s < e && *s == '*')
				s++;
		}
		if (directive(&ps, s, e) < 0) {
			td_spec_free(spec);
			return -1;
		}
		if (code_follows)
			break;
	}
	return 0;
}

void td_spec_free(struct td_spec *spec)
{
	for (size_t i = 0; i < spec->n; i++)
		free(spec->d[i].value);
	free(spec->d);
	memset(spec, 0, sizeof *spec);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrndup(v, strlen(v));
}

/* apply merges one directive into a plan. */
static void apply(struct td_plan *p, const struct td_directive *d)
{
	switch (d->key) {
	case TD_CMDLINE:
		set_str(&p->cmdline, d->value);
		break;
	case TD_SMP:
		p->smp = (int)parse_int(d->value, 1, 255);
		break;
	case TD_MEM:
		set_str(&p->mem, d->value);
		break;
	case TD_TIMEOUT:
		p->timeout = (int)parse_int(d->value, 1, 86400);
		break;
	case TD_RUNNER_ARGS:
		td_list_split(&p->runner_args, d->value);
		break;
	case TD_VARIANT: {
		size_t n = strcspn(d->value, " \t");
		p->variants = xrealloc(p->variants, (p->nvariants + 1) * sizeof *p->variants);
		struct td_variant *var = &p->variants[p->nvariants++];
		*var = (struct td_variant){.name = xstrndup(d->value, n)};
		td_list_split(&var->args, d->value + n);
		break;
	}
	case TD_EXPECT_EXIT: {
		struct td_list words = {0};
		td_list_split(&words, d->value);
		p->nexpect_exits = words.n;
		for (size_t i = 0; i < words.n; i++)
			p->expect_exits[i] = (int)parse_int(words.v[i], 0, 255);
		p->expect_exit = p->expect_exits[0];
		td_list_free(&words);
		break;
	}
	case TD_EXPECT_LINE:
		td_list_add(&p->line, d->value);
		break;
	case TD_EXPECT_CONTAINS:
		td_list_add(&p->contains, d->value);
		break;
	case TD_EXPECT_NOT_CONTAINS:
		td_list_add(&p->not_contains, d->value);
		break;
	case TD_EXPECT_STDERR:
		td_list_add(&p->stderr_has, d->value);
		break;
	case TD_EXPECT_UNIX_TIME:
		td_list_add(&p->unix_time, d->value);
		break;
	case TD_EXPECT_ORDER:
		td_list_add(&p->order, d->value);
		break;
	case TD_EXPECT_CHECKSUM:
		p->expect_checksum = true;
		break;
	case TD_ARCHES:
	case TD_NKEY:
		break;
	}
}

void td_plan_for(const struct td_spec *spec, int arch, struct td_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	plan->timeout = TD_DEFAULT_TIMEOUT;
	for (size_t i = 0; i < spec->n; i++)
		if (spec->d[i].arch == -1)
			apply(plan, &spec->d[i]);
	for (size_t i = 0; i < spec->n; i++)
		if (spec->d[i].arch == arch)
			apply(plan, &spec->d[i]);
}

void td_plan_free(struct td_plan *plan)
{
	free(plan->cmdline);
	free(plan->mem);
	td_list_free(&plan->runner_args);
	td_list_free(&plan->line);
	td_list_free(&plan->contains);
	td_list_free(&plan->not_contains);
	td_list_free(&plan->stderr_has);
	td_list_free(&plan->unix_time);
	td_list_free(&plan->order);
	for (size_t i = 0; i < plan->nvariants; i++) {
		free(plan->variants[i].name);
		td_list_free(&plan->variants[i].args);
	}
	free(plan->variants);
	memset(plan, 0, sizeof *plan);
}

/* find returns the first occurrence of t in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *t)
{
	size_t tn = strlen(t);
	if (tn == 0)
		return s;
	for (const char *p = s; tn <= n - (size_t)(p - s);) {
		p = memchr(p, t[0], n - (size_t)(p - s) - tn + 1);
		if (!p)
			return NULL;
		if (memcmp(p, t, tn) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* check_unix_time finds the first stdout line that starts with prefix and
 * checks that the number after it is a Unix time within TD_UNIX_TIME_SLACK
 * seconds of the run's host time window. */
static void check_unix_time(const char *prefix, const struct td_run *run, struct td_list *fail)
{
	size_t pn = strlen(prefix);
	const char *s = run->out, *end = run->out + run->outlen;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if ((size_t)(e - s) >= pn && memcmp(s, prefix, pn) == 0) {
			char buf[32];
			size_t len = (size_t)(e - s) - pn;
			snprintf(buf, sizeof buf, "%.*s", (int)(len < 31 ? len : 31), s + pn);
			char *stop;
			long long t = strtoll(buf, &stop, 10);
			if (stop == buf)
				td_list_addf(fail, "\"%s\" is not followed by a Unix time", prefix);
			else if (t < run->started - TD_UNIX_TIME_SLACK ||
				 t > run->finished + TD_UNIX_TIME_SLACK)
				td_list_addf(fail,
					     "guest time %lld is not within %d s of the host's "
					     "(%lld..%lld)",
					     t, TD_UNIX_TIME_SLACK, (long long)run->started,
					     (long long)run->finished);
			return;
		}
		s = nl ? nl + 1 : end;
	}
	td_list_addf(fail, "no stdout line starts with \"%s\"", prefix);
}

static bool has_line(const char *s, size_t n, const char *t)
{
	size_t tn = strlen(t);
	const char *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if ((size_t)(e - s) == tn && memcmp(s, t, tn) == 0)
			return true;
		s = nl ? nl + 1 : end;
	}
	return false;
}

/* line_at describes the line of s holding p: its number and its extent. */
static size_t line_at(const char *s, const char *end, const char *p, const char **ls,
		      const char **le)
{
	size_t no = 1;
	*ls = s;
	for (const char *q = s; q < p; q++)
		if (*q == '\n') {
			no++;
			*ls = q + 1;
		}
	*le = memchr(p, '\n', (size_t)(end - p));
	if (!*le)
		*le = end;
	return no;
}

static void check_order(const char *value, const char *out, size_t n, struct td_list *fail)
{
	struct td_list pieces = {0};
	order_split(value, &pieces);
	size_t pos = 0;
	for (size_t i = 0; i < pieces.n; i++) {
		const char *hit = find(out + pos, n - pos, pieces.v[i]);
		if (!hit) {
			if (i == 0)
				td_list_addf(fail, "expect-order: stdout has no \"%s\"",
					     pieces.v[0]);
			else
				td_list_addf(fail, "expect-order: no \"%s\" after \"%s\" in stdout",
					     pieces.v[i], pieces.v[i - 1]);
			break;
		}
		pos = (size_t)(hit - out) + strlen(pieces.v[i]);
	}
	td_list_free(&pieces);
}

/* exit_note explains the runner's own exit statuses (see the runner's spec). */
static const char *exit_note(int status)
{
	switch (status) {
	case 124:
		return " (124: the runner timed out)";
	case 125:
		return " (125: the runner saw QEMU fail or the guest stop without a status)";
	case 127:
		return " (127: the runner could not be started)";
	}
	return "";
}

size_t td_check(const struct td_plan *plan, const struct td_run *run, struct td_list *fail)
{
	size_t n0 = fail->n;
	const char *out = run->out, *oend = run->out + run->outlen;

	bool exit_ok = false;
	char allowed[64] = "";
	for (size_t i = 0; i < plan->nexpect_exits; i++) {
		exit_ok |= run->exit == plan->expect_exits[i];
		size_t len = strlen(allowed);
		snprintf(allowed + len, sizeof allowed - len, "%s%d", i ? " or " : "",
			 plan->expect_exits[i]);
	}
	if (plan->nexpect_exits == 0) {
		exit_ok = run->exit == plan->expect_exit;
		snprintf(allowed, sizeof allowed, "%d", plan->expect_exit);
	}
	if (run->exit >= 0 && !exit_ok)
		td_list_addf(fail, "expected exit %s, got %d%s", allowed, run->exit,
			     exit_note(run->exit));
	for (size_t i = 0; i < plan->line.n; i++)
		if (!has_line(out, run->outlen, plan->line.v[i]))
			td_list_addf(fail, "no stdout line is \"%s\"", plan->line.v[i]);
	for (size_t i = 0; i < plan->contains.n; i++)
		if (!find(out, run->outlen, plan->contains.v[i]))
			td_list_addf(fail, "no stdout line contains \"%s\"", plan->contains.v[i]);
	for (size_t i = 0; i < plan->not_contains.n; i++) {
		const char *hit = find(out, run->outlen, plan->not_contains.v[i]);
		if (hit) {
			const char *ls, *le;
			size_t no = line_at(out, oend, hit, &ls, &le);
			td_list_addf(fail, "stdout line %zu contains \"%s\": %.*s", no,
				     plan->not_contains.v[i], (int)(le - ls < 160 ? le - ls : 160),
				     ls);
		}
	}
	for (size_t i = 0; i < plan->stderr_has.n; i++)
		if (!find(run->err, run->errlen, plan->stderr_has.v[i]))
			td_list_addf(fail, "stderr does not contain \"%s\"", plan->stderr_has.v[i]);
	for (size_t i = 0; i < plan->order.n; i++)
		check_order(plan->order.v[i], out, run->outlen, fail);
	for (size_t i = 0; i < plan->unix_time.n; i++)
		check_unix_time(plan->unix_time.v[i], run, fail);
	if (plan->expect_checksum) {
		char msg[512];
		if (td_check_checksum(out, run->outlen, msg, sizeof msg) < 0)
			td_list_add(fail, msg);
	}
	return fail->n - n0;
}

uint32_t td_crc32(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	crc = ~crc;
	while (n--) {
		crc ^= *b++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/*
 * parse_checksum reads "checksum: crc32=%08x lines=%u bytes=%u" from exactly
 * s[0..n). Returns 0, or -1 if the line has any other shape.
 */
static int parse_checksum(const char *s, size_t n, uint32_t *crc, unsigned long long *lines,
			  unsigned long long *bytes)
{
	static const char *const field[] = {"checksum: crc32=", " lines=", " bytes="};
	const char *e = s + n;
	unsigned long long v[3];
	for (int f = 0; f < 3; f++) {
		size_t fl = strlen(field[f]);
		if ((size_t)(e - s) < fl || memcmp(s, field[f], fl) != 0)
			return -1;
		s += fl;
		int base = f == 0 ? 16 : 10, digits = 0;
		v[f] = 0;
		for (; s < e && (f == 0 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s));
		     s++, digits++) {
			int d = isdigit((unsigned char)*s) ? *s - '0'
							   : tolower((unsigned char)*s) - 'a' + 10;
			if (v[f] > (~0ull - (unsigned)d) / (unsigned)base)
				return -1;
			v[f] = v[f] * (unsigned)base + (unsigned)d;
		}
		if (f == 0 ? digits != 8 : digits == 0)
			return -1;
	}
	if (s != e)
		return -1;
	*crc = (uint32_t)v[0];
	*lines = v[1];
	*bytes = v[2];
	return 0;
}

int td_check_checksum(const char *out, size_t len, char *msg, size_t msglen)
{
	const char *p = out, *end = out + len;
	bool inside = false;
	size_t lineno = 0, begin = 0, sections = 0;
	uint32_t crc = 0;
	unsigned long long lines = 0, bytes = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		lineno++;
		if (!inside) {
			if (n == strlen("checksum-begin") && memcmp(p, "checksum-begin", n) == 0) {
				inside = true;
				sections++;
				begin = lineno;
				crc = 0;
				lines = bytes = 0;
			}
		} else if (n >= strlen("checksum:") && memcmp(p, "checksum:", 9) == 0) {
			uint32_t gcrc;
			unsigned long long glines, gbytes;
			if (parse_checksum(p, n, &gcrc, &glines, &gbytes) < 0) {
				snprintf(msg, msglen,
					 "stdout line %zu: malformed checksum line \"%.*s\" (want "
					 "\"checksum: crc32=%%08x lines=%%u bytes=%%u\")",
					 lineno, (int)(n < 120 ? n : 120), p);
				return -1;
			}
			if (gcrc != crc || glines != lines || gbytes != bytes) {
				snprintf(
				    msg, msglen,
				    "checksum mismatch on stdout lines %zu-%zu: guest crc32=%08x "
				    "lines=%llu bytes=%llu, host crc32=%08x lines=%llu bytes=%llu",
				    begin, lineno, gcrc, glines, gbytes, crc, lines, bytes);
				return -1;
			}
			inside = false;
		} else {
			size_t m = nl ? n + 1 : n;
			crc = td_crc32(crc, p, m);
			lines++;
			bytes += m;
		}
		p = nl ? nl + 1 : end;
	}
	if (inside) {
		snprintf(msg, msglen,
			 "checksum-begin on stdout line %zu has no checksum line after it", begin);
		return -1;
	}
	if (sections == 0) {
		snprintf(msg, msglen, "no checksum-begin line in stdout");
		return -1;
	}
	return 0;
}
