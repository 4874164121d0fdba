/*
 * symtab_test: the image symbol table, end to end: tables built by
 * tools/gort-symtab (SYMTAB_TOOL), read by runtime/symtab.c.
 *
 * What a user would notice if it broke: a traceback or profile naming the
 * wrong function, file or line, or missing the frames of inlined calls; a
 * guest crashing while it symbolizes because its table is damaged; an image
 * shipped with a table that no longer matches its code.
 *
 *   1. Exact answers on the fixture (SYMTAB_FIXTURE, a host program built
 *      -O2 -g without PIE, which prints its own addresses and lines): a pc
 *      in a call inlined into another function gives both frames with the
 *      call sites' lines; GCC's cold part of a function is named as the
 *      function; an assembly function is named by its symbol. Building is
 *      deterministic.
 *   2. The table agrees with `addr2line -f -i` at every 7th byte of the
 *      code of the fixture and of the largest image of each arch under
 *      SYMTAB_BUILD: same frames, names, files and lines. The differences
 *      allowed are addr2line's own, each counted and printed:
 *        outside  a pc in no function (alignment padding between functions,
 *                 outside every sized symbol): the table finds nothing,
 *                 addr2line names the closest symbol before it;
 *        mapping  addr2line names ARM/RISC-V code by a mapping symbol ($x,
 *                 $d), the table by its function;
 *        alias    of several symbols at one address addr2line takes the
 *                 first in the symbol table (a linker script's
 *                 __image_start), the table its preferred one (pvh_entry);
 *        file0    binutils 2.40 starts a DWARF 5 line program with file 0
 *                 where the standard says file 1, so where a sequence relies
 *                 on that default addr2line names the unit's primary file
 *                 (for LTO units "<artificial>") instead of the file the
 *                 code is from (the line, correct, is the same).
 *   3. Damaged tables (truncated, wrong magic or version, areas out of
 *      bounds, random bytes) are refused or answer "not found", and never
 *      read outside the blob (ASan).
 *   4. `gort-symtab check` accepts an image carrying its own table and
 *      rejects one whose function moved, naming it.
 */
#define _GNU_SOURCE
#include "runtime/symtab.h"
#include "runtime/symtab_format.h"

#include <dirent.h>
#include <elf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/path_clean.h"
#include "tests/unit/check.h"

enum { MAX_FRAMES = 32, STRIDE = 7 };

static char tmpdir[] = "/tmp/symtab_test.XXXXXX";

struct bytes {
	uint8_t *v;
	size_t n;
};

static struct bytes read_file(const char *path)
{
	struct bytes b = {NULL, 0};
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return b;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b.v = malloc(n > 0 ? (size_t)n : 1);
	b.n = fread(b.v, 1, (size_t)n, f);
	fclose(f);
	return b;
}

static bool write_file(const char *path, struct bytes b)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return false;
	bool ok = fwrite(b.v, 1, b.n, f) == b.n;
	return fclose(f) == 0 && ok;
}

/* Runs a shell command; its exit status. */
static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char *cmd;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	int st = system(cmd);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *tmp_path(const char *name)
{
	char *p;
	if (asprintf(&p, "%s/%s", tmpdir, name) < 0)
		abort();
	return p;
}

/* The table of image, as gort-symtab builds it (n == 0 if it failed). */
static struct bytes build_table(const char *image)
{
	char *out = tmp_path("table.bin");
	struct bytes b = {NULL, 0};
	if (run("%s build %s %s", SYMTAB_TOOL, image, out) == 0)
		b = read_file(out);
	free(out);
	return b;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- ELF symbols, as nm lists them ------------------------------------------- */

struct symbol {
	uint64_t addr, size; /* size 0 if nm knows none */
	char *name;
};

struct symbols {
	struct symbol *v;
	size_t n;
	uint64_t *max_end; /* max_end[i]: the furthest end of symbols 0..i */
};

static int cmp_symbol(const void *a, const void *b)
{
	const struct symbol *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The symbols of image, from `nm -S`: "ADDR [SIZE] TYPE NAME". */
static struct symbols read_symbols(const char *image)
{
	struct symbols s = {NULL, 0, NULL};
	char *cmd, line[4096];
	if (asprintf(&cmd, "nm -S %s", image) < 0)
		abort();
	FILE *p = popen(cmd, "r");
	free(cmd);
	size_t cap = 0;
	while (p != NULL && fgets(line, sizeof line, p) != NULL) {
		char *tok[4], *save = NULL;
		int n = 0;
		for (char *w = strtok_r(line, " \n", &save); w != NULL && n < 4;
		     w = strtok_r(NULL, " \n", &save))
			tok[n++] = w;
		if (n < 3)
			continue;
		if (s.n == cap) {
			cap = cap ? cap * 2 : 1024;
			s.v = realloc(s.v, cap * sizeof *s.v);
		}
		s.v[s.n++] =
		    (struct symbol){strtoull(tok[0], NULL, 16),
				    n == 4 ? strtoull(tok[1], NULL, 16) : 0, strdup(tok[n - 1])};
	}
	if (p != NULL)
		pclose(p);
	qsort(s.v, s.n, sizeof *s.v, cmp_symbol);
	s.max_end = calloc(s.n + 1, sizeof *s.max_end);
	for (size_t i = 0; i < s.n; i++) {
		uint64_t end = s.v[i].addr + s.v[i].size;
		s.max_end[i] = i > 0 && s.max_end[i - 1] > end ? s.max_end[i - 1] : end;
	}
	return s;
}

/* Whether a symbol with a size covers pc. */
static bool sized_symbol_covers(const struct symbols *s, uint64_t pc)
{
	size_t lo = 0, hi = s->n; /* the first symbol after pc */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && s->max_end[lo - 1] > pc;
}

static uint64_t symbol_addr(const struct symbols *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return s->v[i].addr;
	return 0;
}

static bool symbol_at(const struct symbols *s, uint64_t addr, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].addr == addr && strcmp(s->v[i].name, name) == 0)
			return true;
	return false;
}

static void free_symbols(struct symbols *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	free(s->max_end);
}

/* --- 1. the fixture ------------------------------------------------------------ */

struct fixture {
	uint64_t call_pc, outer;
	int leaf_line, middle_line;
	char file[256];
};

static bool run_fixture(struct fixture *fx)
{
	char line[512];
	int seen = 0;
	FILE *p = popen(SYMTAB_FIXTURE, "r");
	if (p == NULL)
		return false;
	while (fgets(line, sizeof line, p) != NULL) {
		unsigned long long v;
		if (sscanf(line, "call_pc %llx", &v) == 1)
			fx->call_pc = v, seen++;
		else if (sscanf(line, "outer %llx", &v) == 1)
			fx->outer = v, seen++;
		else if (sscanf(line, "leaf_line %d", &fx->leaf_line) == 1)
			seen++;
		else if (sscanf(line, "middle_line %d", &fx->middle_line) == 1)
			seen++;
		else if (sscanf(line, "file %255s", fx->file) == 1)
			seen++;
	}
	return pclose(p) == 0 && seen == 5;
}

static void test_fixture(void)
{
	struct fixture fx = {0};
	struct symtab t;
	struct symtab_frame fr[MAX_FRAMES];
	struct symtab_func f = {0};

	CHECK(run_fixture(&fx));
	struct bytes b = build_table(SYMTAB_FIXTURE);
	CHECK(b.n > 0 && symtab_open(&t, b.v, b.n));

	/* middle() inlined in outer(), at its call of leaf(). */
	int n = symtab_frames(&t, fx.call_pc, fr, MAX_FRAMES);
	CHECK(n == 2);
	if (n == 2) {
		CHECK(strcmp(fr[0].name, "middle") == 0 && fr[0].inlined);
		CHECK(ends_with(fr[0].file, fx.file) && fr[0].file[0] == '/');
		CHECK(fr[0].line == (uint32_t)fx.leaf_line);
		CHECK(strcmp(fr[1].name, "outer") == 0 && !fr[1].inlined);
		CHECK(ends_with(fr[1].file, fx.file) && fr[1].line == (uint32_t)fx.middle_line);
		CHECK(fr[0].entry == fx.outer && fr[1].entry == fx.outer);
		CHECK(fr[0].func == fr[1].func);
	}
	CHECK(symtab_frames(&t, fx.call_pc, fr, 1) == 1 && strcmp(fr[0].name, "middle") == 0);
	const char *file;
	uint32_t line;
	CHECK(symtab_fileline(&t, fx.call_pc, &file, &line) && line == (uint32_t)fx.leaf_line);
	CHECK(symtab_lookup_func(&t, fx.call_pc, &f) && strcmp(f.name, "outer") == 0);
	CHECK(f.entry == fx.outer && f.end > fx.call_pc && !f.cold);
	CHECK(ends_with(f.start_file, fx.file) && f.start_line > 0 &&
	      f.start_line < (uint32_t)fx.middle_line);
	struct symtab_func again;
	CHECK(symtab_func_at(&t, f.index, &again) && again.entry == f.entry);
	CHECK(!symtab_func_at(&t, symtab_nfuncs(&t), &again));

	/* The cold part of hot_path is named hot_path, from its own entry. */
	struct symbols syms = read_symbols(SYMTAB_FIXTURE);
	uint64_t cold = symbol_addr(&syms, "hot_path.cold"), hot = symbol_addr(&syms, "hot_path");
	CHECK(cold != 0 && hot != 0);
	CHECK(symtab_lookup_func(&t, cold + 1, &f) && strcmp(f.name, "hot_path") == 0);
	CHECK(f.cold && f.entry == cold);
	CHECK(symtab_lookup_func(&t, hot, &f) && strcmp(f.name, "hot_path") == 0 && !f.cold);

	/* An assembly function: its symbol's name and size, no source. */
	uint64_t asm_fn = symbol_addr(&syms, "fixture_asm");
	CHECK(symtab_lookup_func(&t, asm_fn, &f) && strcmp(f.name, "fixture_asm") == 0);
	CHECK(f.entry == asm_fn && f.end == asm_fn + 1);
	free_symbols(&syms);

	/* Before the first function, after the last. */
	CHECK(symtab_nfuncs(&t) > 0 && symtab_func_at(&t, 0, &f));
	CHECK(!symtab_lookup_func(&t, f.entry - 1, &f) && symtab_frames(&t, 0, fr, 4) == 0);
	CHECK(symtab_func_at(&t, symtab_nfuncs(&t) - 1, &f));
	CHECK(!symtab_lookup_func(&t, f.end, &f) && symtab_frames(&t, UINTPTR_MAX, fr, 4) == 0);

	/* The same input gives the same bytes. */
	struct bytes b2 = build_table(SYMTAB_FIXTURE);
	CHECK(b2.n == b.n && memcmp(b2.v, b.v, b.n) == 0);
	free(b2.v);
	free(b.v);
}

/* --- 2. against addr2line --------------------------------------------------- */

/* One frame as addr2line prints it. */
struct a2l_frame {
	char *name, *file;
	uint32_t line;
};

struct a2l_answer {
	uint64_t pc;
	struct a2l_frame frame[MAX_FRAMES];
	int n;
};

/* The executable sections of an ELF64 file. */
static size_t text_ranges(const struct bytes *elf, uint64_t (*r)[2], size_t max)
{
	const Elf64_Ehdr *eh = (const void *)elf->v;
	size_t n = 0;
	if (elf->n < sizeof *eh ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > elf->n)
		return 0;
	const Elf64_Shdr *sh = (const void *)(elf->v + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum && n < max; i++)
		if (sh[i].sh_type == SHT_PROGBITS && (sh[i].sh_flags & SHF_EXECINSTR) &&
		    (sh[i].sh_flags & SHF_ALLOC) && sh[i].sh_size > 0) {
			r[n][0] = sh[i].sh_addr;
			r[n][1] = sh[i].sh_addr + sh[i].sh_size;
			n++;
		}
	return n;
}

/* Asks addr2line about every pc; the answers in the same order. */
static struct a2l_answer *ask_addr2line(const char *image, const uint64_t *pcs, size_t npcs)
{
	char *in = tmp_path("pcs.txt"), *out = tmp_path("addr2line.txt");
	FILE *f = fopen(in, "w");
	for (size_t i = 0; i < npcs; i++)
		fprintf(f, "%#llx\n", (unsigned long long)pcs[i]);
	fclose(f);
	int st = run("addr2line -a -f -i -e %s < %s > %s", image, in, out);
	struct a2l_answer *a = calloc(npcs, sizeof *a);
	f = fopen(out, "r");
	char line[8192];
	size_t k = 0;
	struct a2l_answer *cur = NULL;
	while (st == 0 && f != NULL && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "0x", 2) == 0 && k < npcs) {
			cur = &a[k++];
			cur->pc = strtoull(line, NULL, 16);
			continue;
		}
		if (cur == NULL || cur->n == MAX_FRAMES)
			continue;
		struct a2l_frame *fr = &cur->frame[cur->n++];
		fr->name = strdup(line);
		if (fgets(line, sizeof line, f) == NULL)
			break;
		line[strcspn(line, "\n")] = '\0';
		char *disc = strstr(line, " (discriminator");
		if (disc != NULL)
			*disc = '\0';
		char *colon = strrchr(line, ':');
		fr->line = colon != NULL ? (uint32_t)strtoul(colon + 1, NULL, 10) : 0;
		if (colon != NULL)
			*colon = '\0';
		/* No line: addr2line may still name a file (from an STT_FILE symbol). */
		fr->file = strdup(fr->line == 0 || strcmp(line, "??") == 0 ? "" : path_clean(line));
	}
	if (f != NULL)
		fclose(f);
	CHECK(st == 0 && k == npcs);
	free(in);
	free(out);
	return a;
}

enum verdict { SAME, OUTSIDE, MAPPING, ALIAS, FILE0, DIFFERENT, NVERDICTS };
static const char *const verdict_name[] = {"same",  "outside", "mapping",
					   "alias", "file0",   "different"};

static enum verdict compare(const struct symtab *t, const struct symbols *syms,
			    const struct a2l_answer *a)
{
	struct symtab_frame fr[MAX_FRAMES];
	int n = symtab_frames(t, (uintptr_t)a->pc, fr, MAX_FRAMES);
	enum verdict v = SAME;

	if (n == 0)
		return a->n == 1 && !sized_symbol_covers(syms, a->pc) ? OUTSIDE : DIFFERENT;
	if (n != a->n)
		return DIFFERENT;
	for (int i = 0; i < n; i++) {
		const struct a2l_frame *x = &a->frame[i];
		if (strcmp(x->name, fr[i].name) != 0) {
			if (x->name[0] == '$')
				v = MAPPING;
			else if (symbol_at(syms, fr[i].entry, x->name))
				v = ALIAS;
			else
				return DIFFERENT;
		}
		if (x->line != fr[i].line)
			return DIFFERENT;
		if (strcmp(x->file, fr[i].file) != 0) {
			if (i != 0)
				return DIFFERENT;
			v = v == SAME ? FILE0 : v;
		}
	}
	return v;
}

static void print_frames(const struct symtab *t, const struct a2l_answer *a)
{
	struct symtab_frame fr[MAX_FRAMES];
	int n = symtab_frames(t, (uintptr_t)a->pc, fr, MAX_FRAMES);
	fprintf(stderr, "  at %#llx addr2line says:\n", (unsigned long long)a->pc);
	for (int i = 0; i < a->n; i++)
		fprintf(stderr, "    %s %s:%u\n", a->frame[i].name, a->frame[i].file,
			a->frame[i].line);
	fprintf(stderr, "  the table says:\n");
	for (int i = 0; i < n; i++)
		fprintf(stderr, "    %s %s:%u\n", fr[i].name, fr[i].file, fr[i].line);
}

static void cross_check(const char *image)
{
	struct symtab t;
	struct bytes elf = read_file(image), b = build_table(image);
	CHECK(b.n > 0 && symtab_open(&t, b.v, b.n));

	uint64_t r[64][2];
	size_t nr = text_ranges(&elf, r, 64), npcs = 0, cap = 0;
	uint64_t *pcs = NULL;
	for (size_t i = 0; i < nr; i++)
		for (uint64_t pc = r[i][0]; pc < r[i][1]; pc += STRIDE) {
			if (npcs == cap) {
				cap = cap ? cap * 2 : 4096;
				pcs = realloc(pcs, cap * sizeof *pcs);
			}
			pcs[npcs++] = pc;
		}
	CHECK(npcs > 0);

	struct symbols syms = read_symbols(image);
	struct a2l_answer *a = ask_addr2line(image, pcs, npcs);
	size_t count[NVERDICTS] = {0};
	for (size_t i = 0; i < npcs; i++) {
		enum verdict v = compare(&t, &syms, &a[i]);
		if (v == DIFFERENT && count[v] < 5)
			print_frames(&t, &a[i]);
		count[v]++;
	}
	CHECK(count[DIFFERENT] == 0);
	CHECK(count[SAME] > npcs / 2);
	printf("symtab_test: %s: %zu pcs:", image, npcs);
	for (int v = 0; v < NVERDICTS; v++)
		printf(" %s %zu%s", verdict_name[v], count[v], v + 1 < NVERDICTS ? "," : "\n");

	for (size_t i = 0; i < npcs; i++)
		for (int k = 0; k < a[i].n; k++) {
			free(a[i].frame[k].name);
			free(a[i].frame[k].file);
		}
	free(a);
	free(pcs);
	free_symbols(&syms);
	free(b.v);
	free(elf.v);
}

/* The largest image under SYMTAB_BUILD/arch/tests, or NULL. */
static char *largest_image(const char *arch)
{
	char *dir, *best = NULL;
	off_t best_size = 0;
	if (asprintf(&dir, "%s/%s/tests", SYMTAB_BUILD, arch) < 0)
		abort();
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		char *path;
		struct stat st;
		if (!ends_with(e->d_name, ".elf") || asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (stat(path, &st) == 0 && (best == NULL || st.st_size > best_size ||
					     (st.st_size == best_size && strcmp(path, best) < 0))) {
			free(best);
			best = path;
			best_size = st.st_size;
		} else {
			free(path);
		}
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	return best;
}

/* --- 3. damaged tables ---------------------------------------------------------- */

/* Looks up every pc of a blob's range (and around it) in a copy of exactly
 * len bytes, so that ASan sees any read past its end. */
static void probe(const uint8_t *blob, size_t len, uint64_t lo, uint64_t hi, uint64_t step)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, blob, len);
	struct symtab t;
	if (symtab_open(&t, copy, len)) {
		struct symtab_frame fr[MAX_FRAMES];
		struct symtab_func f;
		const char *file;
		uint32_t line;
		for (uint64_t pc = lo - 16; pc < hi + 16; pc += step) {
			symtab_frames(&t, (uintptr_t)pc, fr, MAX_FRAMES);
			symtab_lookup_func(&t, (uintptr_t)pc, &f);
			symtab_fileline(&t, (uintptr_t)pc, &file, &line);
		}
		for (uint32_t i = 0; i < symtab_nfuncs(&t); i++)
			symtab_func_at(&t, i, &f);
	}
	free(copy);
}

static bool opens(const uint8_t *blob, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, blob, len);
	struct symtab t;
	bool ok = symtab_open(&t, copy, len);
	free(copy);
	return ok;
}

static void test_damaged(void)
{
	struct bytes b = build_table(SYMTAB_FIXTURE);
	struct symtab t;
	struct symtab_header h;
	CHECK(b.n > sizeof h && symtab_open(&t, b.v, b.n));
	if (b.n <= sizeof h)
		return;
	struct symtab_func first, last;
	symtab_func_at(&t, 0, &first);
	symtab_func_at(&t, symtab_nfuncs(&t) - 1, &last);
	uint8_t *d = malloc(b.n);

	/* Truncated anywhere: refused. */
	for (size_t n = 0; n < b.n; n++)
		CHECK(!opens(b.v, n));
	CHECK(!symtab_open(&t, NULL, 0) && opens(b.v, b.n));

	/* A damaged header. */
	struct {
		size_t off, size;
		uint32_t value;
	} bad[] = {
	    {offsetof(struct symtab_header, magic), 4, 0x464c457f},
	    {offsetof(struct symtab_header, version), 2, SYMTAB_VERSION + 1},
	    {offsetof(struct symtab_header, header_size), 2, 8},
	    {offsetof(struct symtab_header, total_size), 4, (uint32_t)b.n + 1},
	    {offsetof(struct symtab_header, total_size), 4, 4},
	    {offsetof(struct symtab_header, nfuncs), 4, 0x0fffffff},
	    {offsetof(struct symtab_header, funcs_off), 4, (uint32_t)b.n},
	    {offsetof(struct symtab_header, nfiles), 4, 0xffffffff},
	    {offsetof(struct symtab_header, files_off), 4, 0xfffffff0},
	    {offsetof(struct symtab_header, pcdata_size), 4, (uint32_t)b.n},
	    {offsetof(struct symtab_header, strings_off), 4, (uint32_t)b.n - 1},
	    {offsetof(struct symtab_header, strings_size), 4, 0},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memcpy(d, b.v, b.n);
		memcpy(d + bad[i].off, &bad[i].value, bad[i].size);
		CHECK(!opens(d, b.n));
	}

	/* Strings without their final NUL; functions out of order. */
	memcpy(&h, b.v, sizeof h);
	memcpy(d, b.v, b.n);
	d[h.strings_off + h.strings_size - 1] = 'x';
	CHECK(!opens(d, b.n));
	if (h.nfuncs >= 2) {
		memcpy(d, b.v, b.n);
		memcpy(d + h.funcs_off, b.v + h.funcs_off + sizeof(struct symtab_func_rec),
		       sizeof(struct symtab_func_rec));
		CHECK(!opens(d, b.n));
	}

	/* Every function's tables replaced by unterminated varints: not found. */
	memcpy(d, b.v, b.n);
	memset(d + h.pcdata_off, 0xff, h.pcdata_size);
	struct symtab_frame fr[4];
	CHECK(symtab_open(&t, d, b.n) && symtab_frames(&t, first.entry, fr, 4) == 0);
	probe(d, b.n, first.entry, last.end, 1);

	/* Random damage: answers may be wrong, reads stay inside the blob. */
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 3000; round++) {
		memcpy(d, b.v, b.n);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t at = sizeof h + (seed >> 33) % (b.n - sizeof h);
			d[at] = (uint8_t)(seed >> 13);
		}
		probe(d, b.n, first.entry, last.end, 3);
	}
	free(d);
	free(b.v);
}

/* --- 4. gort-symtab check ---------------------------------------------------------- */

/* Moves the ELF symbol name of an ELF64 file by delta bytes. */
static bool move_symbol(const char *path, const char *name, int64_t delta)
{
	struct bytes elf = read_file(path);
	const Elf64_Ehdr *eh = (const void *)elf.v;
	bool moved = false;
	if (elf.n < sizeof *eh ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > elf.n) {
		free(elf.v);
		return false;
	}
	const Elf64_Shdr *sh = (const void *)(elf.v + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const char *strtab = (const char *)elf.v + sh[sh[i].sh_link].sh_offset;
		Elf64_Sym *sym = (Elf64_Sym *)(elf.v + sh[i].sh_offset);
		for (size_t k = 0; k < sh[i].sh_size / sizeof *sym; k++)
			if (strcmp(strtab + sym[k].st_name, name) == 0) {
				sym[k].st_value += (uint64_t)delta;
				moved = true;
			}
	}
	moved = moved && write_file(path, elf);
	free(elf.v);
	return moved;
}

static void test_check(void)
{
	char *table = tmp_path("fixture.bin"), *final = tmp_path("final.elf");
	char *moved = tmp_path("moved.elf"), *err = tmp_path("check.err");

	CHECK(run("%s build %s %s", SYMTAB_TOOL, SYMTAB_FIXTURE, table) == 0);
	CHECK(run("objcopy --add-section .gort_symtab=%s %s %s", table, SYMTAB_FIXTURE, final) ==
	      0);
	CHECK(run("%s check %s", SYMTAB_TOOL, final) == 0);

	/* fixture_asm one byte further: the table no longer matches. */
	CHECK(run("cp %s %s", final, moved) == 0 && move_symbol(moved, "fixture_asm", 1));
	CHECK(run("%s check %s 2> %s", SYMTAB_TOOL, moved, err) != 0);
	struct bytes msg = read_file(err);
	msg.v = realloc(msg.v, msg.n + 1);
	msg.v[msg.n] = '\0';
	CHECK(strstr((char *)msg.v, "stale symbol table") != NULL);
	CHECK(strstr((char *)msg.v, "fixture_asm") != NULL);
	free(msg.v);

	/* No table at all. */
	CHECK(run("%s check %s 2> %s", SYMTAB_TOOL, SYMTAB_FIXTURE, err) != 0);
	free(table);
	free(final);
	free(moved);
	free(err);
}

/* Paths are stored cleaned: what the cleaning does. */
static void test_path_clean(void)
{
	static const char *const cases[][2] = {
	    {"/work/gort/./runtime/chan.c", "/work/gort/runtime/chan.c"},
	    {"/b/deps/picolibc-build/../../src/x.c", "/b/src/x.c"},
	    {"//a//b/", "/a/b"},
	    {"/a/./b/./c/../d", "/a/b/d"},
	    {"/..", "/"},
	    {"a/../../b", "../b"},
	    {"../../x", "../../x"},
	    {"a/..", "."},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[128];
		snprintf(buf, sizeof buf, "%s", cases[i][0]);
		path_clean(buf);
		if (strcmp(buf, cases[i][1]) != 0) {
			fprintf(stderr, "path_clean(%s) = %s, want %s\n", cases[i][0], buf,
				cases[i][1]);
			failures++;
		}
	}
}

int main(void)
{
	static const char *const arches[] = {"x86_64", "aarch64", "riscv64"};

	test_path_clean();

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_fixture();
	cross_check(SYMTAB_FIXTURE);
	for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++) {
		char *image = largest_image(arches[i]);
		if (image != NULL)
			cross_check(image);
		else
			printf("symtab_test: no %s image under %s to cross-check\n", arches[i],
			       SYMTAB_BUILD);
		free(image);
	}
	test_damaged();
	test_check();
	run("rm -rf %s", tmpdir);
	return check_status("symtab_test");
}
