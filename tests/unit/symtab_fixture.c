/*
 * symtab_fixture: a host program with the shapes of code the symbol table
 * must describe, built as images are (-O2 -g) without PIE, so that the
 * addresses it prints are its file addresses. symtab_test builds a table
 * from it and checks the table's answers against what it prints:
 *
 *   call_pc HEX      a pc inside the call leaf() in middle(), itself inlined
 *                    in outer(): frames middle (inlined) then outer
 *   outer HEX        outer's entry
 *   leaf_line N      the line of the call leaf() in middle()
 *   middle_line N    the line of the call middle() in outer()
 *   file PATH        this file, as the compiler was given it
 *
 * It also holds a function GCC splits into a hot part and a cold part
 * (hot_path and the ELF symbol hot_path.cold), and fixture_asm, an assembly
 * function with an ELF symbol and no DWARF.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int leaf_line, middle_line;

/* The return address of its call: a pc inside whatever called it. Each
 * call passes the line it is on. */
static __attribute__((noinline)) uintptr_t leaf(int line)
{
	leaf_line = line;
	return (uintptr_t)__builtin_return_address(0);
}

static inline __attribute__((always_inline)) uintptr_t middle(int line)
{
	middle_line = line;
	return leaf(__LINE__);
}

/* A pc inside the call of leaf (the return address minus one). */
static __attribute__((noinline)) uintptr_t outer(void)
{
	return middle(__LINE__) - 1;
}

static __attribute__((noinline, cold)) void complain(int x)
{
	fprintf(stderr, "symtab_fixture: unexpected %d\n", x);
	exit(2);
}

/* GCC moves the unlikely branch to hot_path.cold, in .text.unlikely. */
static __attribute__((noinline)) int hot_path(int x)
{
	if (__builtin_expect(x < 0, 0)) {
		complain(x);
		complain(x + 1);
	}
	return x * 3 + 1;
}

__asm__(".text\n"
	".globl fixture_asm\n"
	".type fixture_asm, %function\n"
	"fixture_asm:\n"
	"\tret\n"
	".size fixture_asm, . - fixture_asm\n");
void fixture_asm(void);

int main(int argc, char **argv)
{
	(void)argv;
	uintptr_t call_pc = outer();
	printf("call_pc %#lx\n", (unsigned long)call_pc);
	printf("outer %#lx\n", (unsigned long)(uintptr_t)&outer);
	printf("leaf_line %d\n", leaf_line);
	printf("middle_line %d\n", middle_line);
	printf("file %s\n", __FILE__);
	fixture_asm();
	return hot_path(argc) == 0;
}
