/*
 * symtab_containers.h - the two containers gort-symtab builds on: growable
 * arrays and a map from strings to numbers.
 *
 * A growable array is a pointer, a count n and a capacity cap kept by its
 * owner; grow makes room for element n before it is written, doubling the
 * capacity, so appending is amortized constant time.
 *
 * A strmap maps strings, compared by contents, to uint32_t values, with open
 * addressing and linear probing in a power-of-two table that is never more
 * than half full. It keeps the key pointers it is given, never copies: the
 * caller owns the strings, and they must outlive the map. Lookups and
 * insertions are one operation (strmap_add), which returns the key's slot;
 * a slot stays valid until the next strmap_add.
 */
#ifndef GORT_TOOLS_SYMTAB_CONTAINERS_H
#define GORT_TOOLS_SYMTAB_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes room for one more element in a growable array of *cap elements. */
void *grow(void *v, size_t n, size_t *cap, size_t elem);

/* A map from strings (by contents) to numbers, open addressing. */
struct strmap {
	const char **key;
	uint32_t *val;
	size_t cap, n;
};

/* The slot of s in m, where s is put (with the value 0) if it is new, as
 * *added then says. The map keeps the pointer s, not a copy. */
size_t strmap_add(struct strmap *m, const char *s, bool *added);

/* Frees the map's tables, not its keys. */
void strmap_free(struct strmap *m);

#endif
