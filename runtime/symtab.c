/*
 * The image symbol table's reader (API in runtime/symtab.h, format in
 * runtime/symtab_format.h).
 *
 * symtab_open checks, once, everything a lookup relies on to stay inside
 * the blob and to terminate: the header, that every area lies inside the
 * blob, that the strings end with a NUL, and that the function records are
 * sorted and do not overlap (so the binary search is exact). What a
 * function's tables say is checked as they are decoded: every varint read
 * is bounds-checked by a cursor that turns "bad" instead of reading past
 * its end, every run must be at least one byte long and stay inside the
 * function, and an inline node's parent must come before it, so walking
 * up the tree always ends. Out-of-range string and file references read
 * as "".
 *
 * Nothing is cached and nothing is written: the same blob may be read by
 * any number of CPUs at once.
 */
#include "runtime/symtab.h"

#include "runtime/symtab_format.h"

#include <string.h>

/* A bounds-checked reader of varints over [p, end). */
struct cursor {
	const uint8_t *p, *end;
	bool bad; /* a read ran past end or overflowed; every later read gives 0 */
};

static uint64_t read_uv(struct cursor *c)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (c->bad || c->p >= c->end) {
			c->bad = true;
			return 0;
		}
		uint8_t b = *c->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0)
			return v;
	}
	c->bad = true;
	return 0;
}

/* A varint that must fit 32 bits. */
static uint32_t read_u32(struct cursor *c)
{
	uint64_t v = read_uv(c);
	if (v > UINT32_MAX)
		c->bad = true;
	return (uint32_t)v;
}

static uint32_t load32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static const char *string_at(const struct symtab *t, uint32_t off)
{
	return off < t->strings_size ? t->strings + off : "";
}

static const char *file_at(const struct symtab *t, uint32_t file)
{
	if (file >= t->nfiles)
		return "";
	return string_at(t, load32(t->files + (size_t)file * 4));
}

static void record_at(const struct symtab *t, uint32_t i, struct symtab_func_rec *r)
{
	memcpy(r, t->funcs + (size_t)i * sizeof *r, sizeof *r);
}

/* Whether the area [off, off + size) lies inside a blob of len bytes. */
static bool inside(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

bool symtab_open(struct symtab *t, const void *blob, size_t len)
{
	struct symtab_header h;

	memset(t, 0, sizeof *t);
	if (blob == NULL || len < sizeof h)
		return false;
	memcpy(&h, blob, sizeof h);
	if (h.magic != SYMTAB_MAGIC || h.version != SYMTAB_VERSION || h.header_size != sizeof h ||
	    h.total_size < sizeof h || h.total_size > len)
		return false;
	uint64_t n = h.total_size;
	if (!inside(h.funcs_off, (uint64_t)h.nfuncs * sizeof(struct symtab_func_rec), n) ||
	    !inside(h.files_off, (uint64_t)h.nfiles * 4, n) ||
	    !inside(h.pcdata_off, h.pcdata_size, n) || !inside(h.strings_off, h.strings_size, n))
		return false;
	const uint8_t *base = blob;
	if (h.strings_size == 0 || base[h.strings_off + h.strings_size - 1] != 0)
		return false;

	t->base = base;
	t->len = h.total_size;
	t->text_base = h.text_base;
	t->nfuncs = h.nfuncs;
	t->funcs = base + h.funcs_off;
	t->nfiles = h.nfiles;
	t->files = base + h.files_off;
	t->pcdata = base + h.pcdata_off;
	t->pcdata_size = h.pcdata_size;
	t->strings = (const char *)base + h.strings_off;
	t->strings_size = h.strings_size;

	/* Sorted, non-empty, not overlapping, and inside the address space. */
	uint64_t prev_end = 0;
	for (uint32_t i = 0; i < t->nfuncs; i++) {
		struct symtab_func_rec r;
		record_at(t, i, &r);
		uint64_t end = (uint64_t)r.entry + r.size;
		if (r.size == 0 || r.entry < prev_end ||
		    end > (uint64_t)UINTPTR_MAX - t->text_base) {
			memset(t, 0, sizeof *t);
			return false;
		}
		prev_end = end;
	}
	return true;
}

uint32_t symtab_nfuncs(const struct symtab *t)
{
	return t->nfuncs;
}

static void describe(const struct symtab *t, uint32_t i, const struct symtab_func_rec *r,
		     struct symtab_func *f)
{
	f->name = string_at(t, r->name);
	f->entry = (uintptr_t)(t->text_base + r->entry);
	f->end = f->entry + r->size;
	f->start_file = file_at(t, r->start_file);
	f->start_line = r->start_line;
	f->index = i;
	f->cold = (r->flags & SYMTAB_FUNC_COLD) != 0;
}

bool symtab_func_at(const struct symtab *t, uint32_t i, struct symtab_func *f)
{
	struct symtab_func_rec r;

	if (i >= t->nfuncs)
		return false;
	record_at(t, i, &r);
	describe(t, i, &r, f);
	return true;
}

/* The index of the function holding pc, and its record, or false. */
static bool find(const struct symtab *t, uintptr_t pc, uint32_t *index, struct symtab_func_rec *r)
{
	if (t->nfuncs == 0 || pc < t->text_base || pc - t->text_base > UINT32_MAX)
		return false;
	uint32_t off = (uint32_t)(pc - t->text_base);

	/* The last record with entry <= off. */
	uint32_t lo = 0, hi = t->nfuncs;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		record_at(t, mid, r);
		if (r->entry <= off)
			lo = mid;
		else
			hi = mid;
	}
	record_at(t, lo, r);
	if (off < r->entry || off - r->entry >= r->size)
		return false;
	*index = lo;
	return true;
}

bool symtab_lookup_func(const struct symtab *t, uintptr_t pc, struct symtab_func *f)
{
	struct symtab_func_rec r;
	uint32_t i;

	if (!find(t, pc, &i, &r))
		return false;
	describe(t, i, &r, f);
	return true;
}

/* A cursor over a function's pcdata from its start. */
static struct cursor pcdata_cursor(const struct symtab *t, const struct symtab_func_rec *r)
{
	struct cursor c = {t->pcdata, t->pcdata + t->pcdata_size, false};

	if (r->pcdata > t->pcdata_size)
		c.bad = true;
	else
		c.p += r->pcdata;
	return c;
}

/* The state of a function's pc program at one byte. */
struct pc_state {
	uint32_t file, line;
	uint32_t node; /* the innermost inlined call: 0 for none, k for node k - 1 */
};

/* Runs the pc program at c up to the byte off (from the entry). */
static bool state_at(struct cursor *c, const struct symtab_func_rec *r, uint32_t off,
		     struct pc_state *s)
{
	uint32_t pos = 0;

	*s = (struct pc_state){r->start_file, r->start_line, 0};
	while (!c->bad && pos < r->size) {
		uint64_t v = read_uv(c);
		uint64_t zz = v >> 2;
		if (v & 2)
			s->file = read_u32(c);
		if (v & 1)
			s->node = read_u32(c);
		s->line += (uint32_t)((zz >> 1) ^ -(zz & 1)); /* wraps, as the delta did */
		uint32_t n = read_u32(c);
		if (n == 0 || n > r->size - pos)
			c->bad = true;
		if (c->bad)
			return false;
		if (off - pos < n)
			return true;
		pos += n;
	}
	return false;
}

/* An inlined call in a function's inline tree. */
struct inline_node {
	uint32_t parent; /* 0: the physical function; k: node k - 1 */
	uint32_t name;
	uint32_t call_file;
	uint32_t call_line;
};

static void read_node(struct cursor *c, struct inline_node *n)
{
	n->parent = read_u32(c);
	n->name = read_u32(c);
	n->call_file = read_u32(c);
	n->call_line = read_u32(c);
}

/* Node k (0-based) of the tree whose node list starts at nodes; checks
 * that its parent comes before it. */
static bool node_at(struct cursor nodes, uint32_t k, struct inline_node *n)
{
	for (uint32_t i = 0; i <= k; i++)
		read_node(&nodes, n);
	return !nodes.bad && n->parent <= k;
}

int symtab_frames(const struct symtab *t, uintptr_t pc, struct symtab_frame *out, int max)
{
	struct symtab_func_rec r;
	struct pc_state s;
	uint32_t index, nnodes = 0;

	if (max <= 0 || !find(t, pc, &index, &r))
		return 0;
	struct cursor c = pcdata_cursor(t, &r);
	struct cursor nodes = c;
	if (r.flags & SYMTAB_FUNC_INLINE) {
		nnodes = read_u32(&c);
		nodes = c;
		for (uint32_t i = 0; i < nnodes && !c.bad; i++) {
			struct inline_node skip;
			read_node(&c, &skip);
		}
	}
	if (!state_at(&c, &r, (uint32_t)(pc - t->text_base) - r.entry, &s) || s.node > nnodes)
		return 0;

	struct symtab_frame frame = {
	    .entry = (uintptr_t)(t->text_base + r.entry),
	    .func = index,
	    .file = file_at(t, s.file),
	    .line = s.line,
	};
	int count = 0;
	for (uint32_t k = s.node; k != 0 && count < max;) {
		struct inline_node n;
		if (!node_at(nodes, k - 1, &n))
			return 0;
		frame.name = string_at(t, n.name);
		frame.inlined = true;
		out[count++] = frame;
		frame.file = file_at(t, n.call_file);
		frame.line = n.call_line;
		k = n.parent;
	}
	if (count < max) {
		frame.name = string_at(t, r.name);
		frame.inlined = false;
		out[count++] = frame;
	}
	return count;
}

bool symtab_fileline(const struct symtab *t, uintptr_t pc, const char **file, uint32_t *line)
{
	struct symtab_frame innermost;

	if (symtab_frames(t, pc, &innermost, 1) != 1)
		return false;
	*file = innermost.file;
	*line = innermost.line;
	return true;
}
