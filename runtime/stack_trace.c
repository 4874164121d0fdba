/*
 * runtime.Stack, debug.Stack and debug.PrintStack: the calling
 * goroutine's traceback (and with Stack(all) every other goroutine's) in
 * Go's format, into a buffer or to the console.
 *
 * Other goroutines are walked under allglock with interrupts off: a
 * goroutine's stack pages are unmapped only after it leaves allgs, which
 * takes that lock, so every page a walk reads stays mapped. Go stops the
 * world for Stack(all); until gort can, a goroutine that runs on another
 * CPU meanwhile is shown as running there, and one that wakes during the
 * walk may show a stack from just before it woke.
 */
#include <gort/debug.h>
#include <gort/runtime.h>
#include <string.h>

#include "kernel/arch.h"
#include "runtime/sched.h"
#include "runtime/traceback.h"

/* Formats the calling goroutine's traceback, from (pc, fp) in the calling
 * function, and if all every other goroutine's. */
static void format_stacks(struct tb_writer *w, uintptr_t pc, uintptr_t fp, bool all)
{
	unsigned long flags = arch_irq_save();
	struct m *mp = this_m();
	struct g *gp = mp != NULL ? mp->curg : NULL;
	if (gp != NULL)
		traceback_goroutine(w, gp, pc, fp);
	else
		traceback_walk(w, pc, fp, stack_bounds_of(fp), true);
	if (all && gp != NULL) {
		spin_lock(&allglock);
		tb_printf(w, "\n");
		traceback_others(w, gp);
		spin_unlock(&allglock);
	}
	arch_irq_restore(flags);
}

__attribute__((noinline)) int runtime_Stack(char *buf, int len, bool all)
{
	if (buf == NULL || len <= 0)
		return 0;
	/* One byte more than asked for: the formatter keeps a NUL in it. */
	char *tmp = gort_new_noscan((size_t)len + 1);
	struct tb_writer w = {.buf = tmp, .cap = (size_t)len + 1};
	format_stacks(&w, (uintptr_t)runtime_Stack, arch_current_fp(), all);
	memcpy(buf, tmp, w.len);
	return (int)w.len;
}

__attribute__((noinline)) char *debug_Stack(void)
{
	for (size_t cap = 1024;; cap *= 2) {
		char *buf = gort_new_noscan(cap);
		struct tb_writer w = {.buf = buf, .cap = cap};
		format_stacks(&w, (uintptr_t)debug_Stack, arch_current_fp(), false);
		if (w.len + 1 < cap)
			return buf; /* NUL-terminated by the formatter */
	}
}

__attribute__((noinline)) void debug_PrintStack(void)
{
	format_stacks(NULL, (uintptr_t)debug_PrintStack, arch_current_fp(), false);
	/* Not a tail call: the walk starts in this function's own frame. */
	__asm__ volatile("" ::: "memory");
}
