/*
 * symtab_dwarf.c - reading an image's DWARF with libdw: line tables,
 * functions and inlined calls.
 *
 *   Lines. Each compilation unit's line table, sorted by address, becomes
 *   spans [address, next address) -> (file, line). Of several rows at one
 *   address the last one counts, and a sequence's end row ends its span, as
 *   binutils' addr2line reads the table; is_stmt is ignored, as it does.
 *   Source paths are as addr2line shows them, cleaned (tools/path_clean.h).
 *
 *   Functions. Each DWARF subprogram with code (DW_AT_low_pc/high_pc or
 *   DW_AT_ranges) becomes one piece per contiguous range: its main piece
 *   holds its entry (DW_AT_entry_pc, else its first range), the others are
 *   GCC's split-off cold parts, named as the function and flagged cold.
 *   Ranges outside the executable sections (code the linker discarded, whose
 *   DWARF was resolved to address 0) are dropped. A piece starts at its
 *   subprogram's declaration (DW_AT_decl_file/line) when DWARF gives one.
 *
 *   Inlining. The DW_TAG_inlined_subroutine entries nested in a subprogram
 *   (through lexical blocks) form its inline tree: for each node, the callee
 *   (its abstract origin's name), the call site (DW_AT_call_file/line) and its
 *   ranges. Each piece keeps the nodes with code in it and their ancestors;
 *   at each byte the innermost node is the deepest one whose ranges hold it
 *   (symtab_encode.c picks them).
 *
 *   Names: DW_AT_linkage_name, else DW_AT_name, through DW_AT_abstract_origin
 *   and DW_AT_specification, so GCC's clones carry their source name (the
 *   ELF symbol foo.constprop.0 is the function foo). A subprogram without a
 *   name takes the ELF symbol's at its entry.
 *
 * Units are read in libdw's order and entries in DWARF's, and each span and
 * piece records the order it was read in, which breaks ties when they are
 * sorted.
 */
#define _GNU_SOURCE
#include "tools/symtab_dwarf.h"
#include "runtime/symtab_format.h"
#include "tools/host.h"
#include "tools/path_clean.h"
#include "tools/symtab_functions.h"

#include <dwarf.h>
#include <stdlib.h>

/* --- line tables ------------------------------------------------------------ */

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

/* Adds span [lo, hi) clipped to the unit's own address ranges, as addr2line
 * looks a pc up in the unit that covers it: a row can otherwise reach over
 * code the linker put between the unit's pieces (an aarch64 erratum veneer
 * after a sequence whose end row shares its last row's address). */
static void add_unit_span(struct image *im, Dwarf_Die *cu, uint64_t lo, uint64_t hi,
			  const char *file, uint32_t line)
{
	Dwarf_Addr base, rlo, rhi;
	ptrdiff_t off = 0;
	bool any = false;
	while ((off = dwarf_ranges(cu, off, &base, &rlo, &rhi)) > 0) {
		any = true;
		uint64_t a = lo > rlo ? lo : rlo, b = hi < rhi ? hi : rhi;
		if (a < b)
			add_span(im, a, b, file, line);
	}
	if (!any) /* a unit without ranges: its table is all there is */
		add_span(im, lo, hi, file, line);
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
			add_unit_span(im, cu, addr, row_addr(lines, j), path,
				      line < 0 ? 0 : (uint32_t)line);
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
void sort_spans(struct image *im)
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

static uint64_t span_end(const struct image *im, size_t i)
{
	return im->spans[i].hi;
}

/* The first span that ends after addr. */
size_t span_after(const struct image *im, uint64_t addr)
{
	return first_ending_after(im, im->nspans, span_end, addr);
}

/* --- functions and inlining ------------------------------------------------- */

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

void read_dwarf(struct image *im)
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
