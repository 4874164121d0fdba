/*
 * symtab_image.c - reading an image's ELF: opening it, its executable
 * sections, and the ELF symbols that name code.
 *
 * The executable sections (SHT_PROGBITS, SHF_ALLOC and SHF_EXECINSTR, not
 * empty) bound everything the table describes: a range of code outside them
 * (code the linker discarded, whose DWARF was resolved to address 0) is
 * dropped, and a range is clipped to the section its start is in.
 *
 * Code with no DWARF function (assembly) is named by ELF symbols
 * (symtab_functions.c places them): FUNC and NOTYPE symbols defined in an
 * executable section. Of several symbols at one address the name chosen is
 * a FUNC over a NOTYPE, then the one with fewer leading underscores, then
 * global over weak over local, then the larger, then the first in byte
 * order: read_symbols sorts them by address, best name first. ARM and
 * RISC-V mapping symbols ($x, $d, ...) and local assembler labels (.L...)
 * name nothing.
 */
#define _GNU_SOURCE
#include "tools/symtab_image.h"
#include "tools/host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void image_open(struct image *im, const char *path)
{
	GElf_Ehdr eh;

	memset(im, 0, sizeof *im);
	im->path = path;
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf: %s", elf_errmsg(-1));
	im->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (im->fd < 0)
		die("%s: %s", path, strerror(errno));
	im->elf = elf_begin(im->fd, ELF_C_READ_MMAP, NULL);
	if (im->elf == NULL || elf_kind(im->elf) != ELF_K_ELF || gelf_getehdr(im->elf, &eh) == NULL)
		die("%s: not an ELF file", path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		die("%s: not a little-endian ELF64 image", path);
	im->machine = eh.e_machine;
	im->dwarf = dwarf_begin_elf(im->elf, DWARF_C_READ, NULL);
}

void image_close(struct image *im)
{
	for (size_t i = 0; i < im->ntrees; i++) {
		free(im->trees[i]->nodes);
		free(im->trees[i]->ranges);
		free(im->trees[i]);
	}
	free(im->trees);
	for (size_t i = 0; i < im->paths.cap; i++)
		free((char *)im->paths.key[i]);
	strmap_free(&im->paths);
	free(im->pieces);
	free(im->spans);
	free(im->syms);
	free(im->text);
	if (im->dwarf != NULL)
		dwarf_end(im->dwarf);
	elf_end(im->elf);
	close(im->fd);
}

/* The section named name, or NULL. */
Elf_Scn *section_named(struct image *im, const char *name)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(im->elf, &shstrndx) != 0)
		return NULL;
	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *n;
		if (gelf_getshdr(scn, &sh) != NULL &&
		    (n = elf_strptr(im->elf, shstrndx, sh.sh_name)) != NULL && strcmp(n, name) == 0)
			return scn;
	}
	return NULL;
}

static bool is_text(const GElf_Shdr *sh)
{
	return sh->sh_type == SHT_PROGBITS && (sh->sh_flags & SHF_ALLOC) &&
	       (sh->sh_flags & SHF_EXECINSTR) && sh->sh_size > 0;
}

int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

void read_text_sections(struct image *im)
{
	size_t cap = 0;
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) == NULL || !is_text(&sh))
			continue;
		im->text = grow(im->text, im->ntext, &cap, sizeof *im->text);
		im->text[im->ntext++] = (struct range){sh.sh_addr, sh.sh_addr + sh.sh_size};
	}
	qsort(im->text, im->ntext, sizeof *im->text, cmp_range);
}

/* The executable section holding addr, or NULL. */
const struct range *text_at(const struct image *im, uint64_t addr)
{
	for (size_t i = 0; i < im->ntext; i++)
		if (addr >= im->text[i].lo && addr < im->text[i].hi)
			return &im->text[i];
	return NULL;
}

/* Clips [lo, hi) to the executable section its start is in; false if it
 * starts in none (code the linker discarded) or is empty. */
bool clip_to_text(const struct image *im, uint64_t *lo, uint64_t *hi)
{
	const struct range *t = text_at(im, *lo);
	if (t == NULL || *hi <= *lo)
		return false;
	if (*hi > t->hi)
		*hi = t->hi;
	return true;
}

static unsigned leading_underscores(const char *s)
{
	unsigned n = 0;
	while (s[n] == '_')
		n++;
	return n;
}

/* By address, then the name to prefer first (see the header comment). */
static int cmp_sym(const void *a, const void *b)
{
	const struct code_sym *x = a, *y = b;
	static const int bind_rank[] = {[STB_GLOBAL] = 0, [STB_WEAK] = 1, [STB_LOCAL] = 2};

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->func != y->func)
		return x->func ? -1 : 1;
	unsigned ux = leading_underscores(x->name), uy = leading_underscores(y->name);
	if (ux != uy)
		return ux < uy ? -1 : 1;
	int bx = x->bind < 3 ? bind_rank[x->bind] : 3, by = y->bind < 3 ? bind_rank[y->bind] : 3;
	if (bx != by)
		return bx - by;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Mapping symbols mark code and data in ARM and RISC-V sections ($x, $d,
 * $xrv64i2p1...); local assembler labels (.L...) are not names either. */
static bool names_code(const char *name)
{
	return name[0] != '\0' && name[0] != '$' && strncmp(name, ".L", 2) != 0;
}

void read_symbols(struct image *im)
{
	size_t cap = 0;
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(im->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB ||
		    (d = elf_getdata(scn, NULL)) == NULL || sh.sh_entsize == 0)
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			GElf_Shdr target;
			Elf_Scn *ts;
			if (gelf_getsym(d, (int)i, &s) == NULL)
				continue;
			int type = GELF_ST_TYPE(s.st_info);
			if ((type != STT_FUNC && type != STT_NOTYPE) || s.st_shndx == SHN_UNDEF ||
			    s.st_shndx >= SHN_LORESERVE ||
			    (ts = elf_getscn(im->elf, s.st_shndx)) == NULL ||
			    gelf_getshdr(ts, &target) == NULL || !is_text(&target))
				continue;
			const char *name = elf_strptr(im->elf, sh.sh_link, s.st_name);
			if (name == NULL || !names_code(name) || text_at(im, s.st_value) == NULL)
				continue;
			im->syms = grow(im->syms, im->nsyms, &cap, sizeof *im->syms);
			im->syms[im->nsyms++] = (struct code_sym){
			    .addr = s.st_value,
			    .size = s.st_size,
			    .name = name,
			    .func = type == STT_FUNC,
			    .bind = GELF_ST_BIND(s.st_info),
			};
		}
	}
	qsort(im->syms, im->nsyms, sizeof *im->syms, cmp_sym);
}

/* The preferred name of a symbol at addr, or NULL. */
const char *symbol_at(const struct image *im, uint64_t addr)
{
	size_t lo = 0, hi = im->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (im->syms[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < im->nsyms && im->syms[lo].addr == addr ? im->syms[lo].name : NULL;
}

size_t first_ending_after(const struct image *im, size_t n,
			  uint64_t (*end)(const struct image *im, size_t i), uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (end(im, mid) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
