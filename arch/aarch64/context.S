/*
 * aarch64 contexts (kernel/arch.h, Contexts): a suspended context is a
 * stack pointer at a 176-byte record that arch_context_switch pushed on
 * that context's own stack:
 *
 *   sp + 0    x29   the suspended code's frame pointer    (arch_context_fp)
 *   sp + 8    x30   where the switch returns to           (arch_context_pc)
 *   sp + 16   x19-x28
 *   sp + 96   d8-d15
 *   sp + 160  FPCR and FPSR
 *   sp + 176  the suspended code's stack
 *
 * The first two words are a frame record, so a walk of a suspended stack
 * starts at the pc in sp + 8 and follows the chain from the frame pointer
 * in sp + 0. Only the registers AAPCS64 makes callee-saved are kept: the
 * switch is a function call, so the caller already treats every other
 * register, the upper halves of v8-v15 included, as clobbered. FPCR and
 * FPSR are the goroutine's floating-point environment (C11 gives it
 * thread storage duration: a goroutine's fesetround and exception flags
 * are its own); each is written back only when it differs, as writing
 * them costs far more than reading. TPIDR_EL1 (the per-CPU
 * pointer) and DAIF are never saved: a context may resume on another CPU,
 * and interrupts stay off across the switch. The stack pointer is SP_EL0,
 * as for all normal code (vectors.S).
 *
 * arch_context_make writes a record whose x30 is context_start, x19 the
 * entry and x20 its argument, and whose x29, FPCR and FPSR are 0 (round
 * to nearest, no traps, no flags): context_start calls
 * entry(arg) with sp at stack_top, and entry's own frame record links to
 * 0, where a frame-pointer walk stops. An entry that returns runs into a
 * brk, an unexpected exception.
 */

#define CONTEXT_SIZE   176
#define CONTEXT_FP_LR  0
#define CONTEXT_X19    16
#define CONTEXT_D8     96
#define CONTEXT_FPCR   160

	.text

/* void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp)
 * Stores the record's address in *save_sp with release order, after the
 * record, and never touches this stack again: a CPU that reads *save_sp
 * with acquire order may resume the context at once. */
	.globl arch_context_switch
arch_context_switch:
	sub	sp, sp, #CONTEXT_SIZE
	stp	x29, x30, [sp, #CONTEXT_FP_LR]
	stp	x19, x20, [sp, #CONTEXT_X19]
	stp	x21, x22, [sp, #CONTEXT_X19 + 16]
	stp	x23, x24, [sp, #CONTEXT_X19 + 32]
	stp	x25, x26, [sp, #CONTEXT_X19 + 48]
	stp	x27, x28, [sp, #CONTEXT_X19 + 64]
	stp	d8, d9, [sp, #CONTEXT_D8]
	stp	d10, d11, [sp, #CONTEXT_D8 + 16]
	stp	d12, d13, [sp, #CONTEXT_D8 + 32]
	stp	d14, d15, [sp, #CONTEXT_D8 + 48]
	mrs	x2, fpcr
	mrs	x3, fpsr
	stp	x2, x3, [sp, #CONTEXT_FPCR]
	mov	x4, sp
	stlr	x4, [x0]
	mov	sp, x1
	ldp	x4, x5, [sp, #CONTEXT_FPCR]
	cmp	x4, x2
	b.eq	1f
	msr	fpcr, x4
1:	cmp	x5, x3
	b.eq	2f
	msr	fpsr, x5
2:	ldp	x29, x30, [sp, #CONTEXT_FP_LR]
	ldp	x19, x20, [sp, #CONTEXT_X19]
	ldp	x21, x22, [sp, #CONTEXT_X19 + 16]
	ldp	x23, x24, [sp, #CONTEXT_X19 + 32]
	ldp	x25, x26, [sp, #CONTEXT_X19 + 48]
	ldp	x27, x28, [sp, #CONTEXT_X19 + 64]
	ldp	d8, d9, [sp, #CONTEXT_D8]
	ldp	d10, d11, [sp, #CONTEXT_D8 + 16]
	ldp	d12, d13, [sp, #CONTEXT_D8 + 32]
	ldp	d14, d15, [sp, #CONTEXT_D8 + 48]
	add	sp, sp, #CONTEXT_SIZE
	ret

/* uintptr_t arch_context_make(uintptr_t stack_top, void (*entry)(void *),
 *                             void *arg) */
	.globl arch_context_make
arch_context_make:
	sub	x0, x0, #CONTEXT_SIZE
	adr	x3, context_start
	stp	xzr, x3, [x0, #CONTEXT_FP_LR]
	stp	x1, x2, [x0, #CONTEXT_X19]
	stp	xzr, xzr, [x0, #CONTEXT_FPCR]
	ret

/* The first code of a made context: sp = stack_top, x29 = 0. */
context_start:
	mov	x0, x20
	blr	x19
	brk	#0

/* uintptr_t arch_context_fp(uintptr_t sp), arch_context_pc(uintptr_t sp) */
	.globl arch_context_fp
arch_context_fp:
	ldr	x0, [x0, #CONTEXT_FP_LR]
	ret

	.globl arch_context_pc
arch_context_pc:
	ldr	x0, [x0, #CONTEXT_FP_LR + 8]
	ret

	.section .note.GNU-stack, "", %progbits
