/*
 * symtab_image.h - an image gort-symtab reads, and what it collects from it.
 *
 * An image is one linked ELF64 little-endian executable, opened read-only
 * (image_open) with libelf and, if it has DWARF, libdw. What becomes its
 * symbol table is collected into struct image in phases, each of which
 * relies on the ones before it (gort-symtab.c's collect runs them):
 *
 *   text     the executable sections (read_text_sections, below); every
 *            address collected later lies inside one of them
 *   syms     the ELF symbols that may name code (read_symbols, below)
 *   spans    the line tables (symtab_dwarf.h)
 *   pieces   the functions: DWARF subprograms (symtab_dwarf.h), then code
 *            named by symbols only (symtab_functions.h)
 *
 * Every order is a total order on the input (addresses, then the order of
 * reading), never on pointers or hash layout, so the blob is deterministic.
 * Strings point into libelf's and libdw's data, except the source paths,
 * which the image owns (paths); all of it lives until image_close.
 */
#ifndef GORT_TOOLS_SYMTAB_IMAGE_H
#define GORT_TOOLS_SYMTAB_IMAGE_H

#include "tools/symtab_containers.h"

#include <elfutils/libdw.h>
#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* No index: the parent of an inline tree's top nodes (the subprogram itself). */
#define NONE SIZE_MAX

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

/* Opens the image at path, or dies: not an ELF64 little-endian file. */
void image_open(struct image *im, const char *path);
void image_close(struct image *im);

/* The section named name, or NULL. */
Elf_Scn *section_named(struct image *im, const char *name);

/* Orders ranges by start, then end. */
int cmp_range(const void *a, const void *b);

/* Reads the executable sections into im->text, sorted. */
void read_text_sections(struct image *im);

/* The executable section holding addr, or NULL. */
const struct range *text_at(const struct image *im, uint64_t addr);

/* Clips [lo, hi) to the executable section its start is in; false if it
 * starts in none (code the linker discarded) or is empty. */
bool clip_to_text(const struct image *im, uint64_t *lo, uint64_t *hi);

/* Reads the symbols that may name code into im->syms (needs im->text). */
void read_symbols(struct image *im);

/* The preferred name of a symbol at addr, or NULL. */
const char *symbol_at(const struct image *im, uint64_t addr);

/* The first i < n whose end(im, i) is after addr, where end is ascending in
 * i, as it is for the sorted, not overlapping spans and pieces: n if none. */
size_t first_ending_after(const struct image *im, size_t n,
			  uint64_t (*end)(const struct image *im, size_t i), uint64_t addr);

#endif
