/*
 * symtab_functions.c - the functions: the pieces of code with a name that
 * become the table's function records.
 *
 * The DWARF subprograms give the first pieces (symtab_dwarf.c). Code with no
 * DWARF function (assembly) is named by ELF symbols (symtab_image.c): a
 * sized FUNC symbol covers its size; an unsized one, or a NOTYPE label
 * (assembly entry points such as the x86_64 interrupt vectors), covers up to
 * the next symbol or function, as addr2line attributes such code. Symbol
 * pieces are flagged SYMTAB_FUNC_NODWARF and only fill what the pieces
 * before them leave free: DWARF functions first, then sized FUNC symbols,
 * then labels.
 *
 * Invariant, once sort_pieces has run: the pieces are sorted by start and do
 * not overlap. Of pieces that overlap, the one that starts first is kept;
 * of those that start together, the larger, then the one added first.
 */
#define _GNU_SOURCE
#include "tools/symtab_functions.h"
#include "runtime/symtab_format.h"

#include <stdlib.h>

void add_piece(struct image *im, struct piece p)
{
	im->pieces = grow(im->pieces, im->npieces, &im->pieces_cap, sizeof *im->pieces);
	p.order = im->npieces;
	im->pieces[im->npieces++] = p;
}

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
void sort_pieces(struct image *im)
{
	size_t kept = 0;

	qsort(im->pieces, im->npieces, sizeof *im->pieces, cmp_piece);
	for (size_t i = 0; i < im->npieces; i++)
		if (kept == 0 || im->pieces[i].lo >= im->pieces[kept - 1].hi)
			im->pieces[kept++] = im->pieces[i];
	im->npieces = kept;
}

static uint64_t piece_end(const struct image *im, size_t i)
{
	return im->pieces[i].hi;
}

/* The first of the first n pieces (sorted) that ends after addr. */
static size_t piece_after(const struct image *im, size_t n, uint64_t addr)
{
	return first_ending_after(im, n, piece_end, addr);
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
void add_symbol_pieces(struct image *im)
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
