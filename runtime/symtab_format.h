/*
 * The image symbol table's format: the blob tools/gort-symtab writes from an
 * image's DWARF and symbols at link time, carried in the image's section
 * .gort_symtab and read in place by runtime/symtab.c. This header is the one
 * definition both sides share.
 *
 * The blob is position-independent and read-only; every multi-byte field is
 * little-endian (all of gort's targets and its host are), and no field needs
 * alignment (the reader copies records out with memcpy). It is made of a
 * header and four areas, each located by the header:
 *
 *   funcs    struct symtab_func_rec[nfuncs], sorted by entry, not
 *            overlapping: one record per piece of machine code with a name.
 *            A lookup is a binary search.
 *   files    uint32_t[nfiles], each the strings offset of a source file's
 *            path as addr2line shows it: absolute, the unit's compilation
 *            directory joined to a relative name, not normalized (".."
 *            stays). File 0 is always "" (unknown).
 *   pcdata   each function's tables, at its record's pcdata offset (below).
 *   strings  NUL-terminated strings, deduplicated; offset 0 is "". The
 *            area ends with a NUL, so any offset inside it reads as a string.
 *
 * Only code addresses enter the blob: an image is linked twice, the second
 * time with the blob placed after its code, so data addresses may move but
 * code addresses may not (gort-symtab check verifies they did not).
 *
 * A function's pcdata, at funcs[i].pcdata, is its inline tree (only if
 * SYMTAB_FUNC_INLINE) then its pc program, made of unsigned LEB128 varints
 * ("uv") as DWARF uses them.
 *
 * The inline tree lists the inlined calls (DWARF's inlined subroutines)
 * with code in this piece, and their callers, in pre-order, so that a
 * node's parent comes before it:
 *
 *   uv  number of nodes N
 *   N times:
 *     uv  parent: 0 for the physical function, k for node k - 1 (k <= own index)
 *     uv  callee name, strings offset
 *     uv  call file index   (where the parent calls the callee)
 *     uv  call line
 *
 * The pc program gives each byte of the function its source file and line
 * (of the innermost code, inlined code included, as DWARF's line table
 * does) and its innermost inlined call. It is a run of entries, starting
 * from the state (file = start_file, line = start_line, node = 0) at the
 * entry:
 *
 *   uv  zigzag(line delta) << 2 | file_changes << 1 | node_changes
 *   uv  new file index                            only if file_changes
 *   uv  new node: 0 for none (the function's own code), k for node k - 1
 *                                                 only if node_changes
 *   uv  length: the bytes from pc that have this state; at least 1
 *
 * where zigzag(d) = d >= 0 ? 2d : -2d - 1. Each entry sets the state, which
 * holds for length bytes; the entries cover the function exactly, so the
 * program ends where they reach entry + size. Bytes without line
 * information have file 0, line 0.
 *
 * The logical frames at a pc, innermost first: the innermost node n (its
 * callee's name, at the pc's file and line), then for each node on the way
 * up, its parent's name at n's call file and call line, ending with the
 * physical function, as addr2line -f -i prints them.
 *
 * Names. A function is named as DWARF names it (DW_AT_linkage_name, else
 * DW_AT_name, through abstract origins), so GCC's clones (foo.constprop.0,
 * foo.isra.0, foo.part.0) carry their source name. Code with no DWARF
 * function (assembly) is named by its ELF symbol or label (see
 * tools/gort-symtab.c). GCC's split-off cold
 * parts (the ELF symbol foo.cold) are pieces of their own, named as their
 * function ("foo", as addr2line shows them) and flagged SYMTAB_FUNC_COLD;
 * their entry is the start of the piece, so an offset from it is never
 * negative.
 */
#ifndef GORT_RUNTIME_SYMTAB_FORMAT_H
#define GORT_RUNTIME_SYMTAB_FORMAT_H

#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the symbol table blob is read in place as little-endian"
#endif

#define SYMTAB_MAGIC   0x4d595347u /* "GSYM" in the blob's first four bytes */
#define SYMTAB_VERSION 1

struct symtab_header {
	uint32_t magic;        /* SYMTAB_MAGIC */
	uint16_t version;      /* SYMTAB_VERSION */
	uint16_t header_size;  /* sizeof(struct symtab_header) */
	uint32_t total_size;   /* bytes of the whole blob, header included */
	uint32_t machine;      /* the image's ELF e_machine (EM_X86_64, ...) */
	uint64_t text_base;    /* address every function entry is relative to */
	uint32_t nfuncs;       /* records in funcs */
	uint32_t funcs_off;    /* offset of funcs from the blob's start */
	uint32_t nfiles;       /* entries in files */
	uint32_t files_off;    /* offset of files */
	uint32_t pcdata_off;   /* offset of pcdata */
	uint32_t pcdata_size;  /* bytes of pcdata */
	uint32_t strings_off;  /* offset of strings */
	uint32_t strings_size; /* bytes of strings, the final NUL included */
};

/* One piece of code with a name: a function, or a split-off part of one. */
struct symtab_func_rec {
	uint32_t entry;      /* first byte, as an offset from text_base */
	uint32_t size;       /* bytes; at least 1 */
	uint32_t name;       /* strings offset */
	uint32_t start_line; /* see start_file */
	uint32_t pcdata;     /* offset of this function's tables in pcdata */
	uint16_t start_file; /* where the function starts in source: its
			      * declaration (DW_AT_decl_file/line, what Go calls
			      * startLine), else the line of its first byte */
	uint16_t flags;      /* SYMTAB_FUNC_* */
};

#define SYMTAB_FUNC_INLINE  0x1 /* pcdata starts with an inline tree */
#define SYMTAB_FUNC_COLD    0x2 /* a split-off cold part of the function named */
#define SYMTAB_FUNC_NODWARF 0x4 /* named by an ELF symbol only (assembly) */

_Static_assert(sizeof(struct symtab_header) == 56, "header layout");
_Static_assert(sizeof(struct symtab_func_rec) == 24, "record layout");

#endif
