/*
 * gort-symtab: builds an image's symbol table from the image's own DWARF and
 * ELF symbols, and checks that a linked image's table still describes it.
 *
 *   gort-symtab build IMAGE.elf OUT.bin   write IMAGE's table (the blob) to OUT.bin
 *   gort-symtab check IMAGE.elf           exit 0 if the blob in IMAGE's section
 *                                         .gort_symtab is the one IMAGE's code has
 *
 * An image is linked twice: pass 1 with an empty .gort_symtab, then `build`
 * on it, then pass 2 with the blob as that section's contents. The section
 * comes after the code, so code addresses are the same in both passes, and
 * the blob depends on code addresses only (never on data). `check` rebuilds
 * the blob from the final image and compares bytes: equal means no function
 * moved or changed size between the passes; otherwise it names the first
 * function that differs. `build` is deterministic: every order is a total
 * order on the input, never on pointers or hash layout.
 *
 * What goes into the table (format: runtime/symtab_format.h), and where it
 * is made:
 *
 *   symtab_image.c      the ELF: the executable sections that bound all code
 *                       described, and the symbols that name code, with the
 *                       rule that picks one name among several at an address
 *   symtab_dwarf.c      the DWARF: line tables as spans; subprograms as
 *                       functions, split into pieces (cold parts apart),
 *                       with their names and inline trees
 *   symtab_functions.c  the functions: DWARF's, then code with no DWARF
 *                       function (assembly) named by ELF symbols and labels
 *   symtab_encode.c     the blob: strings, files, function records and their
 *                       pcdata (inline trees and pc programs)
 *   symtab_containers.c growable arrays and the string map they all use
 *
 * This file runs those phases in order (collect) and holds the commands.
 */
#define _GNU_SOURCE
#include "runtime/symtab.h"
#include "tools/host.h"
#include "tools/symtab_dwarf.h"
#include "tools/symtab_encode.h"
#include "tools/symtab_functions.h"
#include "tools/symtab_image.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collects what becomes the table, each phase after those it needs. */
static void collect(struct image *im)
{
	read_text_sections(im);
	read_symbols(im);
	read_dwarf(im);
	sort_spans(im);
	sort_pieces(im);
	add_symbol_pieces(im);
}

/* --- the commands ----------------------------------------------------------- */

/* The blob IMAGE's code and DWARF give. */
static void build_blob(struct image *im, struct bytes *out)
{
	collect(im);
	encode_blob(im, out);
	struct symtab t;
	if (!symtab_open(&t, out->v, out->n))
		die("%s: the table built does not read back", im->path);
}

static int cmd_build(const char *image, const char *out)
{
	struct image im;
	struct bytes blob = {0};

	image_open(&im, image);
	build_blob(&im, &blob);
	image_close(&im);

	char *tmp = xasprintf("%s.tmp", out);
	FILE *f = fopen(tmp, "wb");
	if (f == NULL)
		die("%s: %s", tmp, strerror(errno));
	if (fwrite(blob.v, 1, blob.n, f) != blob.n || fclose(f) != 0)
		die("%s: write failed", tmp);
	if (rename(tmp, out) != 0)
		die("%s: %s", out, strerror(errno));
	free(tmp);
	free(blob.v);
	return 0;
}

static bool same_frames(const struct symtab *a, const struct symtab *b, uintptr_t pc)
{
	struct symtab_frame fa[32], fb[32];
	int na = symtab_frames(a, pc, fa, 32), nb = symtab_frames(b, pc, fb, 32);
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (strcmp(fa[i].name, fb[i].name) != 0 || strcmp(fa[i].file, fb[i].file) != 0 ||
		    fa[i].line != fb[i].line)
			return false;
	return true;
}

static bool same_func(const struct symtab_func *a, const struct symtab_func *b)
{
	return a->entry == b->entry && a->end == b->end && strcmp(a->name, b->name) == 0;
}

/* Says how the table in the image (old) differs from the one its code gives
 * (now), and exits: the functions that moved or changed size (the first
 * few), else the first pc whose frames differ. */
static _Noreturn void stale(const char *image, const struct symtab *old, const struct symtab *now)
{
	enum { SHOWN = 5 };
	uint32_t i = 0, j = 0, differences = 0;
	struct symtab_func a, b;

	while (i < old->nfuncs || j < now->nfuncs) {
		bool in_old = symtab_func_at(old, i, &a), in_now = symtab_func_at(now, j, &b);
		if (in_old && in_now && same_func(&a, &b)) {
			i++, j++;
			continue;
		}
		if (differences++ == 0)
			fprintf(stderr,
				"gort-symtab: %s: stale symbol table: code moved after it "
				"was built:\n",
				image);
		if (differences > SHOWN) {
			fprintf(stderr, "  ...\n");
			break;
		}
		if (in_old && (!in_now || a.entry < b.entry)) {
			fprintf(stderr,
				"  %s at %#" PRIxPTR " (%" PRIuPTR " bytes) is not in the image\n",
				a.name, a.entry, a.end - a.entry);
			i++;
		} else if (in_now && (!in_old || b.entry < a.entry)) {
			fprintf(stderr,
				"  %s at %#" PRIxPTR " (%" PRIuPTR " bytes) is not in the table\n",
				b.name, b.entry, b.end - b.entry);
			j++;
		} else {
			fprintf(stderr,
				"  at %#" PRIxPTR " the table has %s (%" PRIuPTR
				" bytes), the image %s (%" PRIuPTR " bytes)\n",
				a.entry, a.name, a.end - a.entry, b.name, b.end - b.entry);
			i++, j++;
		}
	}
	if (differences > 0)
		exit(1);
	for (uint32_t k = 0; k < now->nfuncs; k++) {
		symtab_func_at(now, k, &b);
		for (uintptr_t pc = b.entry; pc < b.end; pc++)
			if (!same_frames(old, now, pc))
				die("%s: stale symbol table: its lines or inlining at %#" PRIxPTR
				    " (in %s) differ from the image's DWARF",
				    image, pc, b.name);
	}
	die("%s: stale symbol table: it differs from the one the image gives", image);
}

static int cmd_check(const char *image)
{
	struct image im;
	struct bytes blob = {0};
	struct symtab old, now;

	image_open(&im, image);
	Elf_Scn *scn = section_named(&im, ".gort_symtab");
	if (scn == NULL)
		die("%s: no .gort_symtab section", image);
	Elf_Data *d = elf_getdata(scn, NULL);
	if (d == NULL || d->d_buf == NULL || !symtab_open(&old, d->d_buf, d->d_size))
		die("%s: its .gort_symtab section (%zu bytes) holds no symbol table", image,
		    d != NULL ? d->d_size : 0);
	build_blob(&im, &blob);
	symtab_open(&now, blob.v, blob.n);
	if (old.len != now.len || memcmp(old.base, now.base, now.len) != 0)
		stale(image, &old, &now);
	image_close(&im);
	free(blob.v);
	return 0;
}

int main(int argc, char **argv)
{
	host_init("gort-symtab", 1);
	if (argc == 4 && strcmp(argv[1], "build") == 0)
		return cmd_build(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2]);
	fprintf(stderr, "usage: gort-symtab build IMAGE.elf OUT.bin\n"
			"       gort-symtab check IMAGE.elf\n");
	return 2;
}
