/*
 * symtab_functions.h - the functions of an image: its pieces of code with a
 * name, from DWARF subprograms and then from ELF symbols (the design is in
 * symtab_functions.c).
 */
#ifndef GORT_TOOLS_SYMTAB_FUNCTIONS_H
#define GORT_TOOLS_SYMTAB_FUNCTIONS_H

#include "tools/symtab_image.h"

/* Appends a piece to im->pieces, recording the order it was added in. */
void add_piece(struct image *im, struct piece p);

/* Sorts the pieces and drops any that overlaps an earlier one. */
void sort_pieces(struct image *im);

/* Names the code no DWARF function covers by its ELF symbols (needs the
 * DWARF pieces sorted); leaves the pieces sorted. */
void add_symbol_pieces(struct image *im);

#endif
