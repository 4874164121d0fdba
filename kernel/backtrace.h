/*
 * Frame-pointer stack walking, the same on every arch: each frame record
 * holds the caller's frame pointer and the return address, at offsets the
 * arch names in archdefs.h (ARCH_FRAME_LINK_OFFSET, ARCH_FRAME_RET_OFFSET).
 *
 * The walk is bounded and safe on a corrupt stack: it stops at a null,
 * misaligned or non-increasing frame pointer, at one outside [lo, hi), or
 * after BACKTRACE_MAX_FRAMES frames. It never dereferences memory outside
 * the given stack bounds.
 */
#ifndef GORT_KERNEL_BACKTRACE_H
#define GORT_KERNEL_BACKTRACE_H

#include <stdint.h>

#define BACKTRACE_MAX_FRAMES 64

/* The bounds of the stack the current code runs on. */
struct stack_bounds {
	uintptr_t lo, hi;
};

/* Fills pcs[0..max) starting with pc, then the return addresses found by
 * walking from fp. Returns the number of PCs stored. */
int backtrace_collect(uintptr_t pc, uintptr_t fp, struct stack_bounds stack, uintptr_t *pcs,
		      int max);

/* Prints a walk from (pc, fp) as lines "  #<n> pc=0x<16 hex digits>", the
 * form the host runner symbolizes. */
void backtrace_print(uintptr_t pc, uintptr_t fp, struct stack_bounds stack);

/* The stack that holds addr, for a walk starting there: this CPU's own
 * stack (the boot stack on the boot CPU), its exception stack, or the
 * mapped part of the running goroutine's stack. Empty bounds (the walk
 * prints only the first pc) when it is none of them. Interrupts off. */
struct stack_bounds stack_bounds_of(uintptr_t addr);

#endif
