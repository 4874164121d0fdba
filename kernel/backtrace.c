/*
 * Frame-pointer walks; see backtrace.h for the frame layout, how trap
 * frames are crossed, and the rules that keep a walk over a corrupt stack
 * safe.
 *
 * The walk stores the first pc, then runs one loop over frame records.
 * Each turn reads the record at fp (after checking that it lies in the
 * current stack) and either
 *   - takes it as a leaf's short record (riscv64), when fp is the
 *     innermost frame of a chain (see backtrace.h): the link register, if
 *     known, is the caller, and the walk moves up to the saved frame
 *     pointer;
 *   - or stores its return address and moves up to its link, unless the
 *     return address is one of the trap entry's call sites: then the link
 *     is the entry's record inside a trap frame, and the walk crosses it
 *     (cross): it stores the interrupted pc (exact) and, where the arch
 *     finds that the interrupted function had no record of its own
 *     (arch_trap_frameless_ret), that function's return address, and goes
 *     on at the interrupted frame pointer, on whichever stack holds it.
 * A walk may also start at a call site (a context switched out through
 * tail calls from kernel_interrupt_return): it crosses that trap frame
 * before the loop. Every turn but the first kind stores a frame, and the
 * first kind happens at most once per chain, so max bounds the turns.
 */
#include "kernel/backtrace.h"

#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/boot_stack.h"
#include "kernel/console.h"
#include "kernel/cpu.h"

struct stack_bounds stack_bounds_of(uintptr_t addr)
{
	const struct cpu *c = this_cpu();
	uintptr_t size = c->id == 0 ? BOOT_STACK_SIZE : CPU_STACK_SIZE;
	struct stack_bounds own = {c->stack_top - size, c->stack_top};
	struct stack_bounds exc = {c->exception_stack_top - EXCEPTION_STACK_SIZE,
				   c->exception_stack_top};
	struct stack_bounds g;
	if (addr >= own.lo && addr < own.hi)
		return own;
	if (addr >= exc.lo && addr < exc.hi)
		return exc;
	if (runtime_stack_bounds(addr, &g.lo, &g.hi))
		return g;
	return (struct stack_bounds){0, 0};
}

/* Whether addr lies inside stack. */
static bool contains(struct stack_bounds stack, uintptr_t addr)
{
	return addr >= stack.lo && addr < stack.hi;
}

/* Whether [addr, addr + len) lies inside stack (no wrap-around). */
static bool in_stack(uintptr_t addr, size_t len, struct stack_bounds stack)
{
	return addr >= stack.lo && addr <= stack.hi && len <= stack.hi - addr;
}

/* Whether the frame record at fp is aligned and lies inside stack. */
static bool record_ok(uintptr_t fp, struct stack_bounds stack)
{
	intptr_t lowest = ARCH_FRAME_LINK_OFFSET < ARCH_FRAME_RET_OFFSET ? ARCH_FRAME_LINK_OFFSET
									 : ARCH_FRAME_RET_OFFSET;
	intptr_t highest = ARCH_FRAME_LINK_OFFSET > ARCH_FRAME_RET_OFFSET ? ARCH_FRAME_LINK_OFFSET
									  : ARCH_FRAME_RET_OFFSET;
	if (fp == 0 || fp % sizeof(uintptr_t) != 0)
		return false;
	return in_stack(fp + lowest, (size_t)(highest - lowest) + sizeof(uintptr_t), stack);
}

/* A walk under way. Frames go to frames or, for backtrace_collect, to pcs
 * (exactly one is non-NULL). */
struct walk {
	struct backtrace_frame *frames;
	uintptr_t *pcs;
	int n, max;
	uintptr_t fp;              /* the frame record to read next */
	struct stack_bounds stack; /* the stack fp is on */
	bool innermost;            /* fp belongs to the function an exact pc is in */
	uintptr_t lr;              /* that function's link register; 0: unknown */
};

/* Stores a frame; false when the walk is full. */
static bool store(struct walk *w, uintptr_t pc, bool exact)
{
	if (w->n >= w->max)
		return false;
	if (w->frames != NULL)
		w->frames[w->n] = (struct backtrace_frame){pc, exact};
	else
		w->pcs[w->n] = pc;
	w->n++;
	return true;
}

/* Whether the record at w->fp is a leaf's short record (backtrace.h)
 * whose return-address slot holds ret: a frame pointer above it on this
 * stack, where a full record holds code. */
static bool short_record(const struct walk *w, uintptr_t ret)
{
	return ARCH_FRAME_LEAF_FP_ONLY && w->innermost && ret > w->fp && contains(w->stack, ret) &&
	       ret % sizeof(uintptr_t) == 0;
}

/* Crosses the trap frame tf (size bytes), which must lie on the current
 * stack: stores the interrupted pc, and the interrupted function's return
 * address if it has no frame record, and moves to the interrupted frame
 * pointer, on its own stack. False when the walk ends here. */
static bool cross(struct walk *w, const struct trapframe *tf, size_t size)
{
	uintptr_t base = (uintptr_t)tf;
	if (!in_stack(base, size, w->stack))
		return false;
	uintptr_t fp = arch_trap_fp(tf);
	if (!store(w, arch_trap_pc(tf), true))
		return false;
	if (contains(w->stack, fp)) {
		/* The interrupted code's frames lie above the trap frame. */
		if (fp < base + size)
			return false;
	} else {
		w->stack = stack_bounds_of(fp);
		if (w->stack.lo == w->stack.hi)
			return false;
	}
	w->fp = fp;
	w->lr = arch_trap_lr(tf);
	w->innermost = true;
	uintptr_t ret = arch_trap_frameless_ret(tf, w->stack);
	if (ret == 0)
		return true;
	w->innermost = false; /* fp is the caller's record */
	return store(w, ret, false);
}

static void walk(struct walk *w, uintptr_t pc)
{
	size_t size;
	if (!store(w, pc, true))
		return;
	/* A context switched out through tail calls from the trap entry
	 * (kernel_interrupt_return ending in the switch) saved the entry's own
	 * call site and frame pointer: the walk starts at the trap frame. */
	const struct trapframe *tf = arch_trap_frame_find(pc, w->fp, &size);
	if (tf != NULL && !cross(w, tf, size))
		return;
	while (w->n < w->max && record_ok(w->fp, w->stack)) {
		uintptr_t ret = *(const uintptr_t *)(w->fp + ARCH_FRAME_RET_OFFSET);
		uintptr_t next = *(const uintptr_t *)(w->fp + ARCH_FRAME_LINK_OFFSET);
		if (short_record(w, ret)) {
			w->innermost = false;
			if (w->lr != 0 && !store(w, w->lr, false))
				return;
			w->fp = ret; /* above, checked by short_record */
			continue;
		}
		w->innermost = false;
		if (ret == 0 || !store(w, ret, false) || next <= w->fp)
			return;
		tf = arch_trap_frame_find(ret, next, &size);
		if (tf == NULL)
			w->fp = next;
		else if (!cross(w, tf, size))
			return;
	}
}

int backtrace_walk(uintptr_t pc, uintptr_t fp, struct stack_bounds stack,
		   struct backtrace_frame *frames, int max)
{
	struct walk w = {.frames = frames, .max = max, .fp = fp, .stack = stack, .innermost = true};
	walk(&w, pc);
	return w.n;
}

int backtrace_walk_here(uintptr_t pc, uintptr_t fp, struct backtrace_frame *frames, int max)
{
	unsigned long flags = arch_irq_save();
	int n = backtrace_walk(pc, fp, stack_bounds_of(fp), frames, max);
	arch_irq_restore(flags);
	return n;
}

int backtrace_collect(uintptr_t pc, uintptr_t fp, struct stack_bounds stack, uintptr_t *pcs,
		      int max)
{
	struct walk w = {.pcs = pcs, .max = max, .fp = fp, .stack = stack, .innermost = true};
	walk(&w, pc);
	return w.n;
}

void backtrace_print(uintptr_t pc, uintptr_t fp, struct stack_bounds stack)
{
	struct backtrace_frame frames[BACKTRACE_MAX_FRAMES];
	int n = backtrace_walk(pc, fp, stack, frames, BACKTRACE_MAX_FRAMES);
	for (int i = 0; i < n; i++)
		console_printf("  #%d pc=0x%016lx%s\n", i, (unsigned long)frames[i].pc,
			       i > 0 && frames[i].exact ? " (interrupted)" : "");
}
