/*
 * symtab_dwarf.h - what gort-symtab reads from an image's DWARF with libdw:
 * the line tables as spans, and the subprograms as pieces with their inline
 * trees (the design is in symtab_dwarf.c).
 */
#ifndef GORT_TOOLS_SYMTAB_DWARF_H
#define GORT_TOOLS_SYMTAB_DWARF_H

#include "tools/symtab_image.h"

#include <stddef.h>
#include <stdint.h>

/* Reads every compilation unit's line table into im->spans (unsorted) and
 * its subprograms into im->pieces (needs im->text and im->syms); does
 * nothing if the image has no DWARF. */
void read_dwarf(struct image *im);

/* Sorts the spans and trims overlaps (which well-formed DWARF does not have):
 * the earlier span keeps the bytes. */
void sort_spans(struct image *im);

/* The first span that ends after addr (the spans sorted). */
size_t span_after(const struct image *im, uint64_t addr);

#endif
