/*
 * symtab_encode.h - writing a collected image's symbol table, the blob
 * (format: runtime/symtab_format.h; the design is in symtab_encode.c).
 */
#ifndef GORT_TOOLS_SYMTAB_ENCODE_H
#define GORT_TOOLS_SYMTAB_ENCODE_H

#include "tools/symtab_image.h"

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; v is malloc'ed, the owner frees it. */
struct bytes {
	uint8_t *v;
	size_t n, cap;
};

/* The blob of a collected image (its spans and pieces sorted), into out;
 * dies if it would be larger than 4 GiB. */
void encode_blob(const struct image *im, struct bytes *out);

#endif
