/*
 * The image's symbol table: the .gort_symtab section between the linker's
 * __gort_symtab_start and __gort_symtab_end, opened on first use. Opening
 * only reads the blob and fills a struct, so a CPU that finds another one
 * opening it waits the few microseconds that takes; after that the table
 * is read-only and any number of CPUs look up in it at once, from any
 * context (fault handlers included).
 */
#include "runtime/symbols.h"

#include "kernel/arch.h"

extern const uint8_t __gort_symtab_start[], __gort_symtab_end[];

enum { TABLE_UNOPENED, TABLE_OPENING, TABLE_OK, TABLE_NONE };

static struct symtab table;
static int table_state; /* atomic: enum above */

const struct symtab *symbols_table(void)
{
	int state = __atomic_load_n(&table_state, __ATOMIC_ACQUIRE);
	if (state == TABLE_UNOPENED &&
	    __atomic_compare_exchange_n(&table_state, &state, TABLE_OPENING, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		size_t len = (size_t)(__gort_symtab_end - __gort_symtab_start);
		bool ok = len != 0 && symtab_open(&table, __gort_symtab_start, len);
		state = ok ? TABLE_OK : TABLE_NONE;
		__atomic_store_n(&table_state, state, __ATOMIC_RELEASE);
	}
	while (state == TABLE_OPENING) {
		arch_cpu_relax();
		state = __atomic_load_n(&table_state, __ATOMIC_ACQUIRE);
	}
	return state == TABLE_OK ? &table : NULL;
}

int symbols_frames(uintptr_t pc, struct symtab_frame *out, int max)
{
	const struct symtab *t = symbols_table();
	if (t == NULL || pc == 0)
		return 0;
	return symtab_frames(t, pc - 1, out, max);
}
