/*
 * gort-symtab: builds an image's symbol table from the image's own DWARF and
 * ELF symbols, and checks that a linked image's table still describes it.
 *
 *   gort-symtab build IMAGE.elf OUT.bin   write IMAGE's table (the blob) to OUT.bin
 *   gort-symtab check IMAGE.elf           exit 0 if the blob in IMAGE's section
 *                                         .gort_symtab is the one IMAGE's code has
 *
 * An image is linked twice: pass 1 with an empty .gort_symtab, then `build`
 * on it, then pass 2 with the blob as that section's contents. The section
 * comes after the code, so code addresses are the same in both passes, and
 * the blob depends on code addresses only (never on data). `check` rebuilds
 * the blob from the final image and compares bytes: equal means no function
 * moved or changed size between the passes; otherwise it names the first
 * function that differs. `build` is deterministic: every order below is a
 * total order on the input, never on pointers or hash layout.
 *
 * What goes into the table (format: runtime/symtab_format.h):
 *
 *   Functions. Each DWARF subprogram with code (DW_AT_low_pc/high_pc or
 *   DW_AT_ranges) becomes one piece per contiguous range: its main piece
 *   holds its entry (DW_AT_entry_pc, else its first range), the others are
 *   GCC's split-off cold parts, named as the function and flagged cold.
 *   Ranges outside the executable sections (code the linker discarded, whose
 *   DWARF was resolved to address 0) are dropped. Code with no DWARF function
 *   (assembly) is named by ELF symbols: a sized FUNC symbol covers its size;
 *   an unsized one, or a NOTYPE label (assembly entry points such as the
 *   x86_64 interrupt vectors), covers up to the next symbol or function, as
 *   addr2line attributes such code. Of several symbols at one address the
 *   name chosen is a FUNC over a NOTYPE, then the one with fewer leading
 *   underscores, then global over weak over local, then the first in byte
 *   order. ARM and RISC-V mapping symbols ($x, $d, ...) name nothing.
 *
 *   Lines. Each compilation unit's line table, sorted by address, becomes
 *   spans [address, next address) -> (file, line). Of several rows at one
 *   address the last one counts, and a sequence's end row ends its span, as
 *   binutils' addr2line reads the table; is_stmt is ignored, as it does.
 *
 *   Inlining. The DW_TAG_inlined_subroutine entries nested in a subprogram
 *   (through lexical blocks) form its inline tree: for each node, the callee
 *   (its abstract origin's name), the call site (DW_AT_call_file/line) and its
 *   ranges. Each piece keeps the nodes with code in it and their ancestors;
 *   at each byte the innermost node is the deepest one whose ranges hold it.
 *
 * Names: DW_AT_linkage_name, else DW_AT_name, through DW_AT_abstract_origin
 * and DW_AT_specification, so GCC's clones carry their source name (the
 * ELF symbol foo.constprop.0 is the function foo).
 */
#define _GNU_SOURCE
#include "runtime/symtab.h"
#include "runtime/symtab_format.h"
#include "tools/host.h"
#include "tools/path_clean.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NONE SIZE_MAX

/* Makes room for one more element in a growable array of *cap elements. */
static void *grow(void *v, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * elem);
}

/* A map from strings (by contents) to numbers, open addressing. */
struct strmap {
	const char **key;
	uint32_t *val;
	size_t cap, n;
};

static uint64_t hash_string(const char *s)
{
	uint64_t h = 14695981039346656037ull;
	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

/* The slot of s: where it is, or where it would go. */
static size_t strmap_slot(const struct strmap *m, const char *s)
{
	size_t i = hash_string(s) & (m->cap - 1);
	while (m->key[i] != NULL && strcmp(m->key[i], s) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The slot of s in m, where s is put (with the value 0) if it is new, as
 * *added then says. The map keeps the pointer s, not a copy. */
static size_t strmap_add(struct strmap *m, const char *s, bool *added)
{
	if (2 * (m->n + 1) > m->cap) {
		struct strmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->key = xcalloc(m->cap, sizeof *m->key);
		m->val = xcalloc(m->cap, sizeof *m->val);
		for (size_t i = 0; i < old.cap; i++)
			if (old.key[i] != NULL) {
				size_t j = strmap_slot(m, old.key[i]);
				m->key[j] = old.key[i];
				m->val[j] = old.val[i];
			}
		free(old.key);
		free(old.val);
	}
	size_t i = strmap_slot(m, s);
	*added = m->key[i] == NULL;
	if (*added) {
		m->key[i] = s;
		m->n++;
	}
	return i;
}

static void strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
}

struct range {
	uint64_t lo, hi; /* [lo, hi) */
};

/* An ELF symbol that may name code. */
struct code_sym {
	uint64_t addr, size;
	const char *name;
	bool func;          /* STT_FUNC (else STT_NOTYPE) */
	unsigned char bind; /* STB_* */
};

/* A piece of a compilation unit's line table: [lo, hi) is at file:line. */
struct span {
	uint64_t lo, hi;
	const char *file;
	uint32_t line;
	size_t order; /* the order of reading, which breaks ties */
};

/* An inlined call in a subprogram: an inline tree's node. */
struct inline_node {
	size_t parent; /* node index, or NONE for the subprogram itself */
	const char *name;
	const char *call_file; /* NULL if unknown */
	uint32_t call_line;
	unsigned depth;              /* 1 for a call in the subprogram's own code */
	size_t first_range, nranges; /* in the tree's ranges */
};

/* A subprogram's inlined calls, in pre-order (a parent before its children). */
struct inline_tree {
	struct inline_node *nodes;
	size_t n, cap;
	struct range *ranges;
	size_t nranges, rcap;
};

/* A piece of code with a name: what becomes a function record. */
struct piece {
	uint64_t lo, hi;
	const char *name;
	const char *start_file; /* NULL: take the line of the first byte */
	uint32_t start_line;
	uint16_t flags;           /* SYMTAB_FUNC_COLD, SYMTAB_FUNC_NODWARF */
	struct inline_tree *tree; /* the subprogram's, shared by its pieces; or NULL */
	size_t order;
};

struct image {
	const char *path;
	int fd;
	Elf *elf;
	Dwarf *dwarf; /* NULL if the image has no DWARF */
	unsigned machine;
	struct range *text; /* executable sections */
	size_t ntext;
	struct code_sym *syms; /* sorted by address, best name first */
	size_t nsyms;
	struct span *spans; /* sorted by lo, not overlapping */
	size_t nspans, spans_cap;
	struct piece *pieces; /* sorted by lo, not overlapping, once collected */
	size_t npieces, pieces_cap;
	struct inline_tree **trees; /* every tree, to free them */
	size_t ntrees, trees_cap;
	struct strmap paths; /* source paths made absolute, owned here */
};

/* --- reading the ELF ------------------------------------------------------ */

static void image_open(struct image *im, const char *path)
{
	GElf_Ehdr eh;

	memset(im, 0, sizeof *im);
	im->path = path;
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf: %s", elf_errmsg(-1));
	im->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (im->fd < 0)
		die("%s: %s", path, strerror(errno));
	im->elf = elf_begin(im->fd, ELF_C_READ_MMAP, NULL);
	if (im->elf == NULL || elf_kind(im->elf) != ELF_K_ELF || gelf_getehdr(im->elf, &eh) == NULL)
		die("%s: not an ELF file", path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		die("%s: not a little-endian ELF64 image", path);
	im->machine = eh.e_machine;
	im->dwarf = dwarf_begin_elf(im->elf, DWARF_C_READ, NULL);
}

static void image_close(struct image *im)
{
	for (size_t i = 0; i < im->ntrees; i++) {
		free(im->trees[i]->nodes);
		free(im->trees[i]->ranges);
		free(im->trees[i]);
	}
	free(im->trees);
	for (size_t i = 0; i < im->paths.cap; i++)
		free((char *)im->paths.key[i]);
	strmap_free(&im->paths);
	free(im->pieces);
	free(im->spans);
	free(im->syms);
	free(im->text);
	if (im->dwarf != NULL)
		dwarf_end(im->dwarf);
	elf_end(im->elf);
	close(im->fd);
}

/* The section named name, or NULL. */
static Elf_Scn *section_named(struct image *im, const char *name)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(im->elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *n;
		if (gelf_getshdr(scn, &sh) != NULL &&
		    (n = elf_strptr(im->elf, shstrndx, sh.sh_name)) != NULL && strcmp(n, name) == 0)
			return scn;
	}
	return NULL;
}

static bool is_text(const GElf_Shdr *sh)
{
	return sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_ALLOC) &&
	       (sh->sh_flags & SHF_EXECINSTR) && sh->sh_size > 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

static void read_text_sections(struct image *im)
{
	size_t cap = 0;
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) == NULL || !is_text(&sh))
			continue;
		im->text = grow(im->text, im->ntext, &cap, sizeof *im->text);
		im->text[im->ntext++] = (struct range){sh.sh_addr, sh.sh_addr + sh.sh_size};
	}
	qsort(im->text, im->ntext, sizeof *im->text, cmp_range);
}

/* The executable section holding addr, or NULL. */
static const struct range *text_at(const struct image *im, uint64_t addr)
{
	for (size_t i = 0; i < im->ntext; i++)
		if (addr >= im->text[i].lo && addr < im->text[i].hi)
			return &im->text[i];
	return NULL;
}

/* Clips [lo, hi) to the executable section its start is in; false if it
 * starts in none (code the linker discarded) or is empty. */
static bool clip_to_text(const struct image *im, uint64_t *lo, uint64_t *hi)
{
	const struct range *t = text_at(im, *lo);
	if (t == NULL || *hi <= *lo)
		return false;
	if (*hi > t->hi)
		*hi = t->hi;
	return true;
}

static unsigned leading_underscores(const char *s)
{
	unsigned n = 0;
	while (s[n] == '_')
		n++;
	return n;
}

/* By address, then the name to prefer first (see the header comment). */
static int cmp_sym(const void *a, const void *b)
{
	const struct code_sym *x = a, *y = b;
	static const int bind_rank[] = {[STB_GLOBAL] = 0, [STB_WEAK] = 1, [STB_LOCAL] = 2};

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->func != y->func)
		return x->func ? -1 : 1;
	unsigned ux = leading_underscores(x->name), uy = leading_underscores(y->name);
	if (ux != uy)
		return ux < uy ? -1 : 1;
	int bx = x->bind < 3 ? bind_rank[x->bind] : 3, by = y->bind < 3 ? bind_rank[y->bind] : 3;
	if (bx != by)
		return bx - by;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Mapping symbols mark code and data in ARM and RISC-V sections ($x, $d,
 * $xrv64i2p1...); local assembler labels (.L...) are not names either. */
static bool names_code(const char *name)
{
	return name[0] != '\0' && name[0] != '$' && strncmp(name, ".L", 2) != 0;
}

static void read_symbols(struct image *im)
{
	size_t cap = 0;
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB ||
		    (d = elf_getdata(scn, NULL)) == NULL || sh.sh_entsize == 0)
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			GElf_Shdr target;
			Elf_Scn *ts;
			if (gelf_getsym(d, (int)i, &s) == NULL)
				continue;
			int type = GELF_ST_TYPE(s.st_info);
			if ((type != STT_FUNC && type != STT_NOTYPE) || s.st_shndx == SHN_UNDEF ||
			    s.st_shndx >= SHN_LORESERVE ||
			    (ts = elf_getscn(im->elf, s.st_shndx)) == NULL ||
			    gelf_getshdr(ts, &target) == NULL || !is_text(&target))
				continue;
			const char *name = elf_strptr(im->elf, sh.sh_link, s.st_name);
			if (name == NULL || !names_code(name) || text_at(im, s.st_value) == NULL)
				continue;
			im->syms = grow(im->syms, im->nsyms, &cap, sizeof *im->syms);
			im->syms[im->nsyms++] = (struct code_sym){
			    .addr = s.st_value,
			    .size = s.st_size,
			    .name = name,
			    .func = type == STT_FUNC,
			    .bind = GELF_ST_BIND(s.st_info),
			};
		}
	}
	qsort(im->syms, im->nsyms, sizeof *im->syms, cmp_sym);
}

/* The preferred name of a symbol at addr, or NULL. */
static const char *symbol_at(const struct image *im, uint64_t addr)
{
	size_t lo = 0, hi = im->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (im->syms[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < im->nsyms && im->syms[lo].addr == addr ? im->syms[lo].name : NULL;
}

/* --- reading the DWARF: line tables --------------------------------------- */

/* The path of a unit's source file as addr2line shows it, cleaned
 * (tools/path_clean.h): as the unit names it if absolute, else below the
 * unit's DW_AT_comp_dir. Equal paths are one string, owned by the image. */
static const char *source_path(struct image *im, const char *comp_dir, const char *name)
{
	if (name == NULL)
		return NULL;
	char *path = name[0] == '/' || comp_dir == NULL ? xasprintf("%s", name)
							: xasprintf("%s/%s", comp_dir, name);
	path_clean(path);
	bool added;
	size_t slot = strmap_add(&im->paths, path, &added);
	if (!added)
		free(path);
	return im->paths.key[slot];
}

/* A unit's source files and the directory relative paths start from. */
struct unit_files {
	Dwarf_Files *files;
	size_t n;
	const char *comp_dir;
};

static void unit_files(Dwarf_Die *cudie, struct unit_files *u)
{
	Dwarf_Attribute a;
	u->comp_dir = dwarf_attr(cudie, DW_AT_comp_dir, &a) ? dwarf_formstring(&a) : NULL;
	if (dwarf_getsrcfiles(cudie, &u->files, &u->n) != 0) {
		u->files = NULL;
		u->n = 0;
	}
}

/* File idx of a unit, as source_path makes it; NULL if there is none. */
static const char *unit_file(struct image *im, const struct unit_files *u, uint64_t idx)
{
	if (idx >= u->n)
		return NULL;
	return source_path(im, u->comp_dir, dwarf_filesrc(u->files, idx, NULL, NULL));
}

static void add_span(struct image *im, uint64_t lo, uint64_t hi, const char *file, uint32_t line)
{
	if (!clip_to_text(im, &lo, &hi))
		return;
	im->spans = grow(im->spans, im->nspans, &im->spans_cap, sizeof *im->spans);
	im->spans[im->nspans] = (struct span){lo, hi, file, line, im->nspans};
	im->nspans++;
}

static Dwarf_Addr row_addr(Dwarf_Lines *lines, size_t i)
{
	Dwarf_Addr addr = 0;
	dwarf_lineaddr(dwarf_onesrcline(lines, i), &addr);
	return addr;
}

/* A compilation unit's line table as spans. libdw hands the rows sorted by
 * address (an end-of-sequence row before the others at its address, rows at
 * one address in the order the table gives them). */
static void read_cu_lines(struct image *im, Dwarf_Die *cu, const char *comp_dir)
{
	Dwarf_Lines *lines;
	size_t n;
	const char *last_name = NULL, *last_path = NULL;

	if (dwarf_getsrclines(cu, &lines, &n) != 0)
		return;
	for (size_t i = 0, j; i < n; i = j) {
		/* Of the rows at addr, the last that does not end a sequence
		 * says what the bytes up to the next row's address are. */
		Dwarf_Addr addr = row_addr(lines, i);
		const char *path = NULL;
		int line = 0;
		for (j = i; j < n && row_addr(lines, j) == addr; j++) {
			Dwarf_Line *row = dwarf_onesrcline(lines, j);
			bool end;
			if (dwarf_lineendsequence(row, &end) != 0 || end)
				continue;
			const char *name = dwarf_linesrc(row, NULL, NULL);
			if (name != last_name) {
				last_name = name;
				last_path = source_path(im, comp_dir, name);
			}
			path = last_path;
			dwarf_lineno(row, &line);
		}
		if (j < n && path != NULL)
			add_span(im, addr, row_addr(lines, j), path, line < 0 ? 0 : (uint32_t)line);
	}
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->order < y->order ? -1 : 1;
}

/* Sorts the spans and trims overlaps (which well-formed DWARF does not have):
 * the earlier span keeps the bytes. */
static void sort_spans(struct image *im)
{
	size_t kept = 0;

	qsort(im->spans, im->nspans, sizeof *im->spans, cmp_span);
	for (size_t i = 0; i < im->nspans; i++) {
		struct span s = im->spans[i];
		if (kept > 0 && s.lo < im->spans[kept - 1].hi)
			s.lo = im->spans[kept - 1].hi;
		if (s.lo < s.hi)
			im->spans[kept++] = s;
	}
	im->nspans = kept;
}

/* The first span that ends after addr. */
static size_t span_after(const struct image *im, uint64_t addr)
{
	size_t lo = 0, hi = im->nspans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (im->spans[mid].hi <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* --- reading the DWARF: functions and inlining ----------------------------- */

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	if (dwarf_attr_integrate(die, DW_AT_linkage_name, &a) != NULL ||
	    dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &a) != NULL ||
	    dwarf_attr_integrate(die, DW_AT_name, &a) != NULL)
		return dwarf_formstring(&a);
	return NULL;
}

static uint64_t die_udata(Dwarf_Die *die, int name, bool *ok)
{
	Dwarf_Attribute a;
	Dwarf_Word v = 0;
	*ok = dwarf_attr(die, name, &a) != NULL && dwarf_formudata(&a, &v) == 0;
	return v;
}

/* The ranges of die inside the executable sections, in DWARF's order;
 * returns how many (*out is malloc'ed). */
static size_t die_ranges(const struct image *im, Dwarf_Die *die, struct range **out)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;
	size_t n = 0, cap = 0;

	*out = NULL;
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		if (!clip_to_text(im, &lo, &hi))
			continue;
		*out = grow(*out, n, &cap, sizeof **out);
		(*out)[n++] = (struct range){lo, hi};
	}
	return n;
}

static void collect_inlines(struct image *im, struct inline_tree *t, Dwarf_Die *scope,
			    size_t parent, unsigned depth, const struct unit_files *u)
{
	Dwarf_Die child;

	if (dwarf_child(scope, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		if (tag == DW_TAG_lexical_block) {
			collect_inlines(im, t, &child, parent, depth, u);
			continue;
		}
		if (tag != DW_TAG_inlined_subroutine)
			continue;
		struct range *r;
		size_t nr = die_ranges(im, &child, &r);
		if (nr == 0) {
			free(r);
			continue;
		}
		bool has_file, has_line;
		uint64_t file = die_udata(&child, DW_AT_call_file, &has_file);
		uint64_t line = die_udata(&child, DW_AT_call_line, &has_line);
		const char *name = die_name(&child);
		t->nodes = grow(t->nodes, t->n, &t->cap, sizeof *t->nodes);
		t->nodes[t->n] = (struct inline_node){
		    .parent = parent,
		    .name = name != NULL ? name : "?",
		    .call_file = has_file ? unit_file(im, u, file) : NULL,
		    .call_line = has_line && line <= UINT32_MAX ? (uint32_t)line : 0,
		    .depth = depth,
		    .first_range = t->nranges,
		    .nranges = nr,
		};
		for (size_t i = 0; i < nr; i++) {
			t->ranges = grow(t->ranges, t->nranges, &t->rcap, sizeof *t->ranges);
			t->ranges[t->nranges++] = r[i];
		}
		free(r);
		size_t self = t->n++;
		collect_inlines(im, t, &child, self, depth + 1, u);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* The file a subprogram is declared in, through its abstract origin, which
 * may be in another unit (whose file table the index is then into). */
static const char *decl_file(struct image *im, Dwarf_Die *die)
{
	Dwarf_Attribute a;
	Dwarf_Word idx;
	Dwarf_Die cudie;
	struct unit_files u;

	if (dwarf_attr_integrate(die, DW_AT_decl_file, &a) == NULL ||
	    dwarf_formudata(&a, &idx) != 0 ||
	    dwarf_cu_die(a.cu, &cudie, NULL, NULL, NULL, NULL, NULL, NULL) == NULL)
		return NULL;
	unit_files(&cudie, &u);
	return unit_file(im, &u, idx);
}

static void add_piece(struct image *im, struct piece p)
{
	im->pieces = grow(im->pieces, im->npieces, &im->pieces_cap, sizeof *im->pieces);
	p.order = im->npieces;
	im->pieces[im->npieces++] = p;
}

/* A subprogram with code: one piece per contiguous range. */
static void add_subprogram(struct image *im, Dwarf_Die *die, const struct unit_files *u)
{
	struct range *r;
	size_t nr = die_ranges(im, die, &r);
	if (nr == 0) {
		free(r);
		return;
	}
	Dwarf_Addr entry;
	if (dwarf_entrypc(die, &entry) != 0)
		entry = r[0].lo;
	qsort(r, nr, sizeof *r, cmp_range);

	const char *name = die_name(die);
	if (name == NULL)
		name = symbol_at(im, entry);
	int line = 0;
	const char *file = decl_file(im, die);
	if (file != NULL && (dwarf_decl_line(die, &line) != 0 || line < 0))
		file = NULL;

	struct inline_tree *tree = xcalloc(1, sizeof *tree);
	collect_inlines(im, tree, die, NONE, 1, u);
	if (tree->n == 0) {
		free(tree);
		tree = NULL;
	} else {
		im->trees = grow(im->trees, im->ntrees, &im->trees_cap, sizeof *im->trees);
		im->trees[im->ntrees++] = tree;
	}

	for (size_t i = 0; i < nr;) {
		struct range piece = r[i++];
		while (i < nr && r[i].lo <= piece.hi) {
			if (r[i].hi > piece.hi)
				piece.hi = r[i].hi;
			i++;
		}
		bool main = entry >= piece.lo && entry < piece.hi;
		add_piece(im, (struct piece){
				  .lo = piece.lo,
				  .hi = piece.hi,
				  .name = name != NULL ? name : "?",
				  .start_file = file,
				  .start_line = file != NULL ? (uint32_t)line : 0,
				  .flags = main ? 0 : SYMTAB_FUNC_COLD,
				  .tree = tree,
			      });
	}
	free(r);
}

/* Finds the subprograms in a scope, nested ones included. */
static void walk_scope(struct image *im, Dwarf_Die *scope, const struct unit_files *u)
{
	Dwarf_Die child;

	if (dwarf_child(scope, &child) != 0)
		return;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
			add_subprogram(im, &child, u);
			walk_scope(im, &child, u);
			break;
		case DW_TAG_lexical_block:
		case DW_TAG_inlined_subroutine:
			walk_scope(im, &child, u);
			break;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void read_dwarf(struct image *im)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie;
	uint8_t unit_type;

	if (im->dwarf == NULL)
		return;
	while (dwarf_get_units(im->dwarf, cu, &cu, NULL, &unit_type, &cudie, NULL) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial)
			continue;
		struct unit_files u;
		unit_files(&cudie, &u);
		read_cu_lines(im, &cudie, u.comp_dir);
		walk_scope(im, &cudie, &u);
	}
}

/* --- the functions ---------------------------------------------------------- */

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi > y->hi ? -1 : 1; /* the larger first */
	return x->order < y->order ? -1 : 1;
}

/* Sorts the pieces and drops any that overlaps an earlier one. */
static void sort_pieces(struct image *im)
{
	size_t kept = 0;

	qsort(im->pieces, im->npieces, sizeof *im->pieces, cmp_piece);
	for (size_t i = 0; i < im->npieces; i++)
		if (kept == 0 || im->pieces[i].lo >= im->pieces[kept - 1].hi)
			im->pieces[kept++] = im->pieces[i];
	im->npieces = kept;
}

/* The first of the first n pieces (sorted) that ends after addr. */
static size_t piece_after(const struct image *im, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (im->pieces[mid].hi <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether [lo, hi) overlaps one of the first n pieces (sorted), or the
 * piece after them, the last one added. */
static bool overlaps(const struct image *im, size_t n, uint64_t lo, uint64_t hi)
{
	size_t i = piece_after(im, n, lo);
	if (i < n && im->pieces[i].lo < hi)
		return true;
	return im->npieces > n && lo < im->pieces[im->npieces - 1].hi;
}

/* Where a label's code ends: at the next symbol, the next of the first n
 * pieces (sorted), or the end of its section. */
static uint64_t label_end(const struct image *im, size_t n, size_t sym)
{
	uint64_t addr = im->syms[sym].addr;
	uint64_t end = text_at(im, addr)->hi;
	for (size_t i = sym + 1; i < im->nsyms; i++)
		if (im->syms[i].addr > addr) {
			if (im->syms[i].addr < end)
				end = im->syms[i].addr;
			break;
		}
	size_t p = piece_after(im, n, addr);
	if (p < n && im->pieces[p].lo < end)
		end = im->pieces[p].lo;
	return end;
}

/* Code with no DWARF function, named by symbols: sized FUNC symbols first,
 * then labels in what remains. Symbols come in address order, best name
 * first, so of several at one address the first wins. */
static void add_symbol_pieces(struct image *im)
{
	size_t n = im->npieces;
	for (size_t i = 0; i < im->nsyms; i++) {
		const struct code_sym *s = &im->syms[i];
		if (!s->func || s->size == 0)
			continue;
		uint64_t hi = s->addr + s->size, section_end = text_at(im, s->addr)->hi;
		if (hi > section_end || hi < s->addr)
			hi = section_end;
		if (!overlaps(im, n, s->addr, hi))
			add_piece(im, (struct piece){.lo = s->addr,
						     .hi = hi,
						     .name = s->name,
						     .flags = SYMTAB_FUNC_NODWARF});
	}
	sort_pieces(im);

	n = im->npieces;
	for (size_t i = 0; i < im->nsyms; i++) {
		const struct code_sym *s = &im->syms[i];
		if ((s->func && s->size > 0) || overlaps(im, n, s->addr, s->addr + 1))
			continue;
		uint64_t end = label_end(im, n, i);
		if (end > s->addr)
			add_piece(im, (struct piece){.lo = s->addr,
						     .hi = end,
						     .name = s->name,
						     .flags = SYMTAB_FUNC_NODWARF});
	}
	sort_pieces(im);
}

static void collect(struct image *im)
{
	read_text_sections(im);
	read_symbols(im);
	read_dwarf(im);
	sort_spans(im);
	sort_pieces(im);
	add_symbol_pieces(im);
}

/* --- writing the blob ------------------------------------------------------- */

struct bytes {
	uint8_t *v;
	size_t n, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	while (b->n + n > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->v = xrealloc(b->v, b->cap);
	}
	memcpy(b->v + b->n, p, n);
	b->n += n;
}

static void put_uv(struct bytes *b, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		if (v != 0)
			byte |= 0x80;
		put(b, &byte, 1);
	} while (v != 0);
}

/* The blob under construction: its areas, each built apart. */
struct blob {
	struct bytes funcs, files, pcdata, strings;
	struct strmap string_offsets, file_indexes;
	uint32_t nfiles;
};

static uint32_t area_size(const struct bytes *b)
{
	if (b->n > UINT32_MAX)
		die("symbol table larger than 4 GiB");
	return (uint32_t)b->n;
}

/* The offset of s in the strings. */
static uint32_t string_offset(struct blob *bl, const char *s)
{
	bool added;
	size_t slot = strmap_add(&bl->string_offsets, s, &added);
	if (added) {
		bl->string_offsets.val[slot] = area_size(&bl->strings);
		put(&bl->strings, s, strlen(s) + 1);
	}
	return bl->string_offsets.val[slot];
}

/* The index of a file path in the files; NULL (unknown) is file 0, "". */
static uint32_t file_index(struct blob *bl, const char *path)
{
	bool added;
	size_t slot = strmap_add(&bl->file_indexes, path != NULL ? path : "", &added);
	if (added) {
		uint32_t off = string_offset(bl, path != NULL ? path : "");
		put(&bl->files, &off, sizeof off);
		bl->file_indexes.val[slot] = bl->nfiles++;
	}
	return bl->file_indexes.val[slot];
}

/* A run of a piece's bytes with one state of its pc program. */
struct run {
	uint64_t len;
	uint32_t file, line;
	size_t node; /* the innermost inlined call: local node index + 1, 0 for none */
};

struct runs {
	struct run *v;
	size_t n, cap;
};

static bool same_state(const struct run *a, const struct run *b)
{
	return a->file == b->file && a->line == b->line && a->node == b->node;
}

/* Appends a run, or lengthens the last one if it has the same state. */
static void add_run(struct runs *r, struct run x)
{
	if (r->n > 0 && same_state(&r->v[r->n - 1], &x)) {
		r->v[r->n - 1].len += x.len;
		return;
	}
	r->v = grow(r->v, r->n, &r->cap, sizeof *r->v);
	r->v[r->n++] = x;
}

/* The (file, line) runs covering a piece, from the spans. */
static void line_runs(const struct image *im, struct blob *bl, const struct piece *p,
		      struct runs *out)
{
	uint64_t pos = p->lo;
	size_t s = span_after(im, p->lo);

	while (pos < p->hi) {
		struct run x = {0};
		uint64_t end = p->hi;
		if (s < im->nspans && im->spans[s].lo <= pos) {
			if (im->spans[s].hi < end)
				end = im->spans[s].hi;
			x.file = file_index(bl, im->spans[s].file);
			x.line = im->spans[s].line;
			s++;
		} else if (s < im->nspans && im->spans[s].lo < end) {
			end = im->spans[s].lo; /* a gap without line information */
		}
		x.len = end - pos;
		add_run(out, x);
		pos = end;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static bool node_in(const struct inline_tree *t, size_t k, uint64_t lo, uint64_t hi)
{
	const struct range *r = &t->ranges[t->nodes[k].first_range];
	for (size_t i = 0; i < t->nodes[k].nranges; i++)
		if (r[i].lo < hi && r[i].hi > lo)
			return true;
	return false;
}

/* The innermost-node runs covering a piece: the innermost node is the same
 * between consecutive ends of the tree's ranges. local[k] is node k's local
 * index + 1, or 0 for a node left out of the piece. */
static void node_runs(const struct inline_tree *t, const size_t *local, const struct piece *p,
		      struct runs *out)
{
	size_t ncut = 0;
	uint64_t *cut = xcalloc(2 * t->nranges + 2, sizeof *cut);

	cut[ncut++] = p->lo;
	cut[ncut++] = p->hi;
	for (size_t r = 0; r < t->nranges; r++) {
		if (t->ranges[r].lo > p->lo && t->ranges[r].lo < p->hi)
			cut[ncut++] = t->ranges[r].lo;
		if (t->ranges[r].hi > p->lo && t->ranges[r].hi < p->hi)
			cut[ncut++] = t->ranges[r].hi;
	}
	qsort(cut, ncut, sizeof *cut, cmp_u64);
	for (size_t c = 0; c + 1 < ncut; c++) {
		if (cut[c] == cut[c + 1])
			continue;
		size_t best = NONE;
		for (size_t k = 0; k < t->n; k++)
			if (local[k] != 0 &&
			    (best == NONE || t->nodes[k].depth > t->nodes[best].depth) &&
			    node_in(t, k, cut[c], cut[c] + 1))
				best = k;
		add_run(out, (struct run){.len = cut[c + 1] - cut[c],
					  .node = best == NONE ? 0 : local[best]});
	}
	free(cut);
}

/* Encodes the nodes of a piece's inline tree with code in the piece (and
 * their ancestors) to b, and their runs to nodes; false if there are none. */
static bool encode_inline_tree(struct blob *bl, const struct piece *p, struct bytes *b,
			       struct runs *nodes)
{
	const struct inline_tree *t = p->tree;
	if (t == NULL)
		return false;

	size_t *local = xcalloc(t->n, sizeof *local);
	for (size_t k = 0; k < t->n; k++)
		if (node_in(t, k, p->lo, p->hi))
			for (size_t a = k; a != NONE && local[a] == 0; a = t->nodes[a].parent)
				local[a] = 1;
	size_t nlocal = 0;
	for (size_t k = 0; k < t->n; k++)
		if (local[k] != 0)
			local[k] = ++nlocal;
	if (nlocal > 0) {
		put_uv(b, nlocal);
		for (size_t k = 0; k < t->n; k++) {
			if (local[k] == 0)
				continue;
			const struct inline_node *n = &t->nodes[k];
			put_uv(b, n->parent == NONE ? 0 : local[n->parent]);
			put_uv(b, string_offset(bl, n->name));
			put_uv(b, file_index(bl, n->call_file));
			put_uv(b, n->call_line);
		}
		node_runs(t, local, p, nodes);
	}
	free(local);
	return nlocal > 0;
}

/* The runs of lines and of nodes (both covering a piece), merged. */
static void merge_runs(const struct runs *lines, const struct runs *nodes, struct runs *out)
{
	size_t i = 0, j = 0;
	uint64_t used_line = 0, used_node = 0; /* of runs i and j */

	while (i < lines->n && j < nodes->n) {
		const struct run *l = &lines->v[i], *n = &nodes->v[j];
		uint64_t len = l->len - used_line < n->len - used_node ? l->len - used_line
								       : n->len - used_node;
		add_run(out, (struct run){len, l->file, l->line, n->node});
		used_line += len;
		used_node += len;
		if (used_line == l->len)
			i++, used_line = 0;
		if (used_node == n->len)
			j++, used_node = 0;
	}
}

static void encode_pc_program(struct bytes *b, const struct runs *r, uint32_t file, uint32_t line)
{
	size_t node = 0;

	for (size_t i = 0; i < r->n; i++) {
		int64_t delta = (int64_t)r->v[i].line - (int64_t)line;
		uint64_t zz = delta >= 0 ? (uint64_t)delta * 2 : (uint64_t)(-delta) * 2 - 1;
		bool file_changes = r->v[i].file != file, node_changes = r->v[i].node != node;
		put_uv(b, zz << 2 | (uint64_t)file_changes << 1 | node_changes);
		if (file_changes)
			put_uv(b, r->v[i].file);
		if (node_changes)
			put_uv(b, r->v[i].node);
		put_uv(b, r->v[i].len);
		file = r->v[i].file;
		line = r->v[i].line;
		node = r->v[i].node;
	}
}

static void encode_piece(const struct image *im, struct blob *bl, const struct piece *p,
			 uint64_t text_base)
{
	struct symtab_func_rec rec = {0};
	struct bytes tree = {0};
	struct runs lines = {0}, nodes = {0}, merged = {0};

	if (p->hi - text_base > UINT32_MAX)
		die("%s: code spans more than 4 GiB", im->path);
	rec.entry = (uint32_t)(p->lo - text_base);
	rec.size = (uint32_t)(p->hi - p->lo);
	rec.name = string_offset(bl, p->name);
	rec.flags = p->flags;
	line_runs(im, bl, p, &lines);
	uint32_t start_file = 0;
	if (p->start_file != NULL) {
		start_file = file_index(bl, p->start_file);
		rec.start_line = p->start_line;
	} else {
		for (size_t i = 0; i < lines.n; i++)
			if (lines.v[i].file != 0) {
				start_file = lines.v[i].file;
				rec.start_line = lines.v[i].line;
				break;
			}
	}
	if (start_file > UINT16_MAX)
		die("%s: more than %u source files", im->path, UINT16_MAX);
	rec.start_file = (uint16_t)start_file;
	if (encode_inline_tree(bl, p, &tree, &nodes)) {
		rec.flags |= SYMTAB_FUNC_INLINE;
		merge_runs(&lines, &nodes, &merged);
	}

	rec.pcdata = area_size(&bl->pcdata);
	put(&bl->pcdata, tree.v, tree.n);
	encode_pc_program(&bl->pcdata, rec.flags & SYMTAB_FUNC_INLINE ? &merged : &lines,
			  rec.start_file, rec.start_line);
	put(&bl->funcs, &rec, sizeof rec);
	free(tree.v);
	free(lines.v);
	free(nodes.v);
	free(merged.v);
}

/* The blob of a collected image, into out. */
static void encode(const struct image *im, struct bytes *out)
{
	struct blob bl = {0};
	uint64_t text_base = im->npieces > 0 ? im->pieces[0].lo : 0;

	string_offset(&bl, ""); /* offset 0 */
	file_index(&bl, NULL);  /* file 0 */
	for (size_t i = 0; i < im->npieces; i++)
		encode_piece(im, &bl, &im->pieces[i], text_base);

	struct symtab_header h = {
	    .magic = SYMTAB_MAGIC,
	    .version = SYMTAB_VERSION,
	    .header_size = sizeof h,
	    .machine = im->machine,
	    .text_base = text_base,
	    .nfuncs = (uint32_t)im->npieces,
	    .nfiles = bl.nfiles,
	};
	uint64_t off = sizeof h;
	h.funcs_off = (uint32_t)off;
	off += bl.funcs.n;
	h.files_off = (uint32_t)off;
	off += bl.files.n;
	h.pcdata_off = (uint32_t)off;
	h.pcdata_size = area_size(&bl.pcdata);
	off += bl.pcdata.n;
	h.strings_off = (uint32_t)off;
	h.strings_size = area_size(&bl.strings);
	off += bl.strings.n;
	if (off > UINT32_MAX)
		die("%s: symbol table larger than 4 GiB", im->path);
	h.total_size = (uint32_t)off;

	out->n = 0;
	put(out, &h, sizeof h);
	put(out, bl.funcs.v, bl.funcs.n);
	put(out, bl.files.v, bl.files.n);
	put(out, bl.pcdata.v, bl.pcdata.n);
	put(out, bl.strings.v, bl.strings.n);
	free(bl.funcs.v);
	free(bl.files.v);
	free(bl.pcdata.v);
	free(bl.strings.v);
	strmap_free(&bl.string_offsets);
	strmap_free(&bl.file_indexes);
}

/* --- the commands ----------------------------------------------------------- */

/* The blob IMAGE's code and DWARF give. */
static void build_blob(struct image *im, struct bytes *out)
{
	collect(im);
	encode(im, out);
	struct symtab t;
	if (!symtab_open(&t, out->v, out->n))
		die("%s: the table built does not read back", im->path);
}

static int cmd_build(const char *image, const char *out)
{
	struct image im;
	struct bytes blob = {0};

	image_open(&im, image);
	build_blob(&im, &blob);
	image_close(&im);

	char *tmp = xasprintf("%s.tmp", out);
	FILE *f = fopen(tmp, "wb");
	if (f == NULL)
		die("%s: %s", tmp, strerror(errno));
	if (fwrite(blob.v, 1, blob.n, f) != blob.n || fclose(f) != 0)
		die("%s: write failed", tmp);
	if (rename(tmp, out) != 0)
		die("%s: %s", out, strerror(errno));
	free(tmp);
	free(blob.v);
	return 0;
}

static bool same_frames(const struct symtab *a, const struct symtab *b, uintptr_t pc)
{
	struct symtab_frame fa[32], fb[32];
	int na = symtab_frames(a, pc, fa, 32), nb = symtab_frames(b, pc, fb, 32);
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (strcmp(fa[i].name, fb[i].name) != 0 || strcmp(fa[i].file, fb[i].file) != 0 ||
		    fa[i].line != fb[i].line)
			return false;
	return true;
}

static bool same_func(const struct symtab_func *a, const struct symtab_func *b)
{
	return a->entry == b->entry && a->end == b->end && strcmp(a->name, b->name) == 0;
}

/* Says how the table in the image (old) differs from the one its code gives
 * (now), and exits: the functions that moved or changed size (the first
 * few), else the first pc whose frames differ. */
static _Noreturn void stale(const char *image, const struct symtab *old, const struct symtab *now)
{
	enum { SHOWN = 5 };
	uint32_t i = 0, j = 0, differences = 0;
	struct symtab_func a, b;

	while (i < old->nfuncs || j < now->nfuncs) {
		bool in_old = symtab_func_at(old, i, &a), in_now = symtab_func_at(now, j, &b);
		if (in_old && in_now && same_func(&a, &b)) {
			i++, j++;
			continue;
		}
		if (differences++ == 0)
			fprintf(stderr,
				"gort-symtab: %s: stale symbol table: code moved after it "
				"was built:\n",
				image);
		if (differences > SHOWN) {
			fprintf(stderr, "  ...\n");
			break;
		}
		if (in_old && (!in_now || a.entry < b.entry)) {
			fprintf(stderr,
				"  %s at %#" PRIxPTR " (%" PRIuPTR " bytes) is not in the image\n",
				a.name, a.entry, a.end - a.entry);
			i++;
		} else if (in_now && (!in_old || b.entry < a.entry)) {
			fprintf(stderr,
				"  %s at %#" PRIxPTR " (%" PRIuPTR " bytes) is not in the table\n",
				b.name, b.entry, b.end - b.entry);
			j++;
		} else {
			fprintf(stderr,
				"  at %#" PRIxPTR " the table has %s (%" PRIuPTR
				" bytes), the image %s (%" PRIuPTR " bytes)\n",
				a.entry, a.name, a.end - a.entry, b.name, b.end - b.entry);
			i++, j++;
		}
	}
	if (differences > 0)
		exit(1);
	for (uint32_t k = 0; k < now->nfuncs; k++) {
		symtab_func_at(now, k, &b);
		for (uintptr_t pc = b.entry; pc < b.end; pc++)
			if (!same_frames(old, now, pc))
				die("%s: stale symbol table: its lines or inlining at %#" PRIxPTR
				    " (in %s) differ from the image's DWARF",
				    image, pc, b.name);
	}
	die("%s: stale symbol table: it differs from the one the image gives", image);
}

static int cmd_check(const char *image)
{
	struct image im;
	struct bytes blob = {0};
	struct symtab old, now;

	image_open(&im, image);
	Elf_Scn *scn = section_named(&im, ".gort_symtab");
	if (scn == NULL)
		die("%s: no .gort_symtab section", image);
	Elf_Data *d = elf_getdata(scn, NULL);
	if (d == NULL || d->d_buf == NULL || !symtab_open(&old, d->d_buf, d->d_size))
		die("%s: its .gort_symtab section (%zu bytes) holds no symbol table", image,
		    d != NULL ? d->d_size : 0);
	build_blob(&im, &blob);
	symtab_open(&now, blob.v, blob.n);
	if (old.len != now.len || memcmp(old.base, now.base, now.len) != 0)
		stale(image, &old, &now);
	image_close(&im);
	free(blob.v);
	return 0;
}

int main(int argc, char **argv)
{
	host_init("gort-symtab", 1);
	if (argc == 4 && strcmp(argv[1], "build") == 0)
		return cmd_build(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2]);
	fprintf(stderr, "usage: gort-symtab build IMAGE.elf OUT.bin\n"
			"       gort-symtab check IMAGE.elf\n");
	return 2;
}
