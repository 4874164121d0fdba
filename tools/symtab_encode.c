/*
 * symtab_encode.c - building the blob from a collected image: strings,
 * files, function records and their pcdata (format:
 * runtime/symtab_format.h).
 *
 * The four areas (funcs, files, pcdata, strings) are built apart, in one
 * pass over the pieces in address order, then laid out after the header.
 * Strings are deduplicated through a strmap from contents to offset, with ""
 * at offset 0; files likewise map a path to its index, with file 0 the
 * unknown file "". Both are numbered in the order first needed, so equal
 * input gives equal bytes. Every entry is relative to text_base, the first
 * piece's start.
 *
 * A piece's pc program comes from runs: maximal stretches of its bytes with
 * one state (file, line, innermost inlined call). The line runs come from
 * the spans, with a gap in the line table as file 0, line 0; the node runs
 * from the inline tree, whose innermost node can only change where one of
 * its ranges starts or ends; when the piece has inlined calls the two are
 * merged. Adjacent runs with the same state are always joined, so no two
 * consecutive entries of the program have the same state.
 *
 * A piece keeps only the nodes of its subprogram's inline tree that have
 * code in it, and their ancestors, renumbered in pre-order from 1 (0 is
 * the function's own code), so a parent's number is below its children's.
 */
#define _GNU_SOURCE
#include "tools/symtab_encode.h"
#include "runtime/symtab_format.h"
#include "tools/host.h"
#include "tools/symtab_dwarf.h"

#include <stdlib.h>
#include <string.h>

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
void encode_blob(const struct image *im, struct bytes *out)
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
