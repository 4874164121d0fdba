/*
 * Frame-pointer stack walking, the same on every arch, across interrupt
 * and exception frames.
 *
 * Frame records. Every C function keeps a frame pointer to a record that
 * holds its caller's frame pointer and its return address, at offsets the
 * arch names in archdefs.h (ARCH_FRAME_LINK_OFFSET, ARCH_FRAME_RET_OFFSET);
 * following the links goes from callee to caller. Where the compiler gives
 * leaf functions a short record (ARCH_FRAME_LEAF_FP_ONLY: riscv64, whose
 * GCC saves only the caller's s0 in a leaf, in the slot where a full record
 * keeps the return address, and leaves the return address in ra), the
 * walk recognizes it in the one place a leaf can be, the innermost frame
 * of a chain: the slot then holds an address in the stack above the frame
 * instead of code. The return address is the link register when a trap
 * frame supplied it, else unknown, and the leaf's caller is skipped.
 *
 * Trap frames. The trap entry code (arch/<arch>/vectors.S) calls its C
 * handlers, and kernel_interrupt_return, with the frame pointer at a frame
 * record inside the trap frame it built. A walk from a handler, or from a
 * goroutine switched out inside an interrupt, therefore reaches a frame
 * whose return address is one of those call sites; arch_trap_frame_find
 * recognizes it and names the trap frame, and the walk goes on at the
 * interrupted pc (an exact pc, not a return address) and frame pointer
 * saved there. (A goroutine switched out through tail calls from
 * kernel_interrupt_return saved the call site itself as its pc, with its
 * frame pointer at the record: such a walk crosses at once.) An
 * interrupted function may not have built its record yet
 * (or not at all: x86_64 leaves that need no stack); where the arch can
 * tell, its return address comes from the trap frame's stack pointer
 * (arch_trap_frameless_ret). The frames that follow are the interrupted
 * code's, and traps nest: a fault inside an interrupt handler walks
 * through both.
 *
 * Safety on a corrupt stack. Every word the walk reads lies inside the
 * bounds of the stack it is on, [lo, hi): a frame record entirely, a trap
 * frame entirely (and x86_64 reads instruction bytes inside the image,
 * arch_trap_frameless_ret). The walk starts on the bounds its caller gives. A trap
 * frame lies on the same stack as the handler frame that led to it, but
 * the interrupted code may have run on another (exceptions are handled on
 * the exception stack): an interrupted frame pointer outside the current
 * bounds switches to stack_bounds_of(that pointer), and the walk ends if
 * it is on no stack this CPU knows. Within one stack the frame pointer
 * must strictly increase (stacks grow down, so callers' frames lie above);
 * a null, misaligned or non-increasing one ends the walk, and so does a
 * full array of frames (backtrace_print's holds BACKTRACE_MAX_FRAMES).
 * Each step either stores a frame or moves up the same stack, so the walk
 * always ends.
 */
#ifndef GORT_KERNEL_BACKTRACE_H
#define GORT_KERNEL_BACKTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BACKTRACE_MAX_FRAMES 64

/* The bounds of one stack, [lo, hi); empty (lo == hi) for none. */
struct stack_bounds {
	uintptr_t lo, hi;
};

/* One frame of a walk. exact: pc is the instruction itself (the walk's
 * first pc, or the pc a trap interrupted), to be looked up as it is.
 * Otherwise pc is a return address: the call ends just before it, and a
 * symbolizer looks up pc - 1. */
struct backtrace_frame {
	uintptr_t pc;
	bool exact;
};

/* Fills frames[0..max) with pc (exact), then the frames found by walking
 * from fp on stack, crossing trap frames. Returns the number stored.
 * Interrupts off: crossing to another stack asks stack_bounds_of. */
int backtrace_walk(uintptr_t pc, uintptr_t fp, struct stack_bounds stack,
		   struct backtrace_frame *frames, int max);

/* backtrace_walk of the code running now, from (pc, fp) in one of its own
 * frames, on the stack that holds fp; interrupts are kept off for the walk
 * (so the bounds stay this CPU's). Any context. */
int backtrace_walk_here(uintptr_t pc, uintptr_t fp, struct backtrace_frame *frames, int max);

/* backtrace_walk's pcs alone, for callers that need no flags. */
int backtrace_collect(uintptr_t pc, uintptr_t fp, struct stack_bounds stack, uintptr_t *pcs,
		      int max);

/* Prints a walk from (pc, fp) as lines "  #<n> pc=0x<16 hex digits>",
 * the form the host runner symbolizes (looking up pc - 1 for every frame
 * but #0); an exact frame after #0 is marked "  #<n> pc=0x<hex>
 * (interrupted)", which the runner looks up at pc itself. */
void backtrace_print(uintptr_t pc, uintptr_t fp, struct stack_bounds stack);

/* The stack that holds addr, for a walk starting there: this CPU's own
 * stack (the boot stack on the boot CPU), its exception stack, or the
 * mapped part of the running goroutine's stack. Empty bounds (the walk
 * prints only the first pc) when it is none of them. Interrupts off. */
struct stack_bounds stack_bounds_of(uintptr_t addr);

/* ---- What each arch provides (arch/<arch>/trap.c) -------------------- */

struct trapframe;

/* If ret is the return address of one of the calls vectors.S makes with
 * the frame pointer at a trap frame's frame record, and fp is the frame
 * pointer a frame returning there saved (that record): the trap frame's
 * address, with its size in *size. NULL otherwise. Pure arithmetic on ret
 * and fp; reads no memory, so the caller checks the bounds first. */
const struct trapframe *arch_trap_frame_find(uintptr_t ret, uintptr_t fp, size_t *size);

/* The interrupted link register of a trap frame (aarch64 x30, riscv64
 * ra): the return address of an interrupted leaf function whose record is
 * short (ARCH_FRAME_LEAF_FP_ONLY). 0 on an arch without one (x86_64 keeps
 * return addresses on the stack). */
uintptr_t arch_trap_lr(const struct trapframe *tf);

/* The return address of the function the trap frame tf interrupted, when
 * the arch can tell that the function has no frame record of its own, so
 * that the interrupted frame pointer is still its caller's: on x86_64, a
 * leaf that needs no stack (GCC drops its frame pointer even with
 * -mno-omit-leaf-frame-pointer) or a function stopped before its push of
 * %rbp or after its pop, whose return address is the word at the
 * interrupted %rsp. 0 otherwise, and on arches whose leaf functions keep
 * a record. Reads only inside stack, the interrupted code's stack, and
 * the image. */
uintptr_t arch_trap_frameless_ret(const struct trapframe *tf, struct stack_bounds stack);

#endif
