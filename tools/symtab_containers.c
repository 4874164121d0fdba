/*
 * symtab_containers.c - growable arrays and the string map of gort-symtab
 * (the design and invariants are in symtab_containers.h).
 */
#define _GNU_SOURCE
#include "tools/symtab_containers.h"
#include "tools/host.h"

#include <stdlib.h>
#include <string.h>

void *grow(void *v, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * elem);
}

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

size_t strmap_add(struct strmap *m, const char *s, bool *added)
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

void strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->val);
}
