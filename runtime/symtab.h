/*
 * The image symbol table's reader: from a pc to the function holding it and
 * to the logical frames there (inlined calls expanded), read in place from
 * the blob tools/gort-symtab builds at link time (format in
 * runtime/symtab_format.h). It serves Callers, CallersFrames, FuncForPC,
 * tracebacks and profiles.
 *
 * The reader allocates nothing and trusts nothing: symtab_open checks the
 * header and the areas' bounds and the function table's order, and every
 * later read of a function's tables is bounds-checked, so a malformed blob
 * is refused or answers "not found", never a read outside it. A lookup is a
 * binary search over the functions, then a walk through one function's
 * tables. It is freestanding C (string.h only), built into the guest, the
 * host tool and its unit test.
 *
 * Pcs are looked up as given: a caller symbolizing a return address passes
 * the return address minus one, inside the call instruction, as Go's
 * CallersFrames does. Returned strings point into the blob and live as long
 * as it does; an unknown file is "", an unknown line 0.
 */
#ifndef GORT_RUNTIME_SYMTAB_H
#define GORT_RUNTIME_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An opened blob. Read-only after symtab_open: any number of CPUs may look
 * up in it at once. */
struct symtab {
	const uint8_t *base; /* the blob */
	size_t len;          /* its bytes (the header's total_size) */
	uint64_t text_base;
	uint32_t nfuncs;
	const uint8_t *funcs; /* struct symtab_func_rec[nfuncs], unaligned */
	const uint8_t *files; /* uint32_t[nfiles], unaligned */
	uint32_t nfiles;
	const uint8_t *pcdata; /* pcdata_size bytes */
	uint32_t pcdata_size;
	const char *strings; /* strings_size bytes, the last a NUL */
	uint32_t strings_size;
};

/* A function: a piece of machine code with a name (see symtab_format.h on
 * names and cold parts). */
struct symtab_func {
	const char *name;
	uintptr_t entry;        /* its first byte */
	uintptr_t end;          /* one past its last byte */
	const char *start_file; /* where it starts in source (Go's startLine) */
	uint32_t start_line;
	uint32_t index; /* its place in the table: 0 .. symtab_nfuncs - 1 */
	bool cold;      /* a split-off cold part of the function named */
};

/* One logical frame at a pc: a physical function or a call inlined in it. */
struct symtab_frame {
	const char *name; /* the function this frame runs */
	const char *file; /* innermost frame: the pc's source; outer frames: the
			   * call site of the frame inside them */
	uint32_t line;
	uintptr_t entry; /* the entry of the physical function holding the pc */
	uint32_t func;   /* the physical function's index */
	bool inlined;    /* all frames but the outermost */
};

/* Opens the blob of len bytes at blob (len may exceed the blob's own size,
 * as a section padded to its alignment does). False if it is not a
 * well-formed symbol table; t then holds no functions, and every lookup in
 * it finds nothing. */
bool symtab_open(struct symtab *t, const void *blob, size_t len);

/* The number of functions, and the one at index i (0 .. nfuncs - 1), in
 * order of entry; false if i is out of range. */
uint32_t symtab_nfuncs(const struct symtab *t);
bool symtab_func_at(const struct symtab *t, uint32_t i, struct symtab_func *f);

/* The physical function (outermost; a cold part is its own piece) holding
 * pc, or false if none does. */
bool symtab_lookup_func(const struct symtab *t, uintptr_t pc, struct symtab_func *f);

/* The source file and line of pc in the innermost frame (inlined code
 * included); false if no function holds pc or its tables are malformed. */
bool symtab_fileline(const struct symtab *t, uintptr_t pc, const char **file, uint32_t *line);

/* The logical frames at pc, innermost first: the inlined calls, then the
 * physical function, as addr2line -f -i names them. Fills at most max
 * frames (the innermost ones) and returns how many; 0 if no function holds
 * pc or its tables are malformed. */
int symtab_frames(const struct symtab *t, uintptr_t pc, struct symtab_frame *out, int max);

#endif
