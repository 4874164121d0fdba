/*
 * x86_64 contexts (kernel/arch.h, "Contexts"): the scheduler's stack
 * switch.
 *
 * A suspended context is its stack pointer; at it lies a frame of
 * CONTEXT_SIZE bytes holding what the SysV ABI makes callee-saved:
 *
 *   sp + 0   MXCSR (4 bytes) and, at +4, the x87 control word (2 bytes,
 *            then 2 zero bytes, so the slot compares as one word): the
 *            ABI's callee-saved floating-point control state (every XMM
 *            register is caller-saved)
 *   sp + 8   r15
 *   sp + 16  r14
 *   sp + 24  r13
 *   sp + 32  r12
 *   sp + 40  rbx
 *   sp + 48  rbp   the suspended code's frame pointer (arch_context_fp)
 *   sp + 56  the return address it resumes at (arch_context_pc)
 *
 * arch_context_switch pushes this frame below its own return address,
 * stores %rsp, loads the other context's and pops its frame, returning
 * into whoever suspended it. The per-CPU register (the GS base) and the
 * interrupt flag are not part of a context: interrupts are off across
 * every switch, and a context may resume on another CPU.
 *
 * A new context (arch_context_make) is the same frame with a return
 * address of context_start, the entry in rbx, its argument in r12, a zero
 * rbp and the default MXCSR and x87 control word. context_start calls
 * entry(arg) with %rsp at stack_top, so entry's frame record links to a
 * zero rbp and a frame-pointer walk ends there; if entry ever returns,
 * ud2 makes it an invalid-opcode report.
 */
#include "arch/x86_64/x86.h"

#define CONTEXT_MXCSR   0
#define CONTEXT_FCW     4
#define CONTEXT_R15     8
#define CONTEXT_R14     16
#define CONTEXT_R13     24
#define CONTEXT_R12     32
#define CONTEXT_RBX     40
#define CONTEXT_RBP     48
#define CONTEXT_PC      56
#define CONTEXT_SIZE    64
#define FP_CONTROL_SLOT 8 /* bytes: MXCSR and the x87 control word */

#define MXCSR_DEFAULT  0x1f80 /* every exception masked, round to nearest */
#define X87_CW_DEFAULT 0x037f /* the same, 64-bit precision (fninit's) */

	.text

/* void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp) */
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq $0
	stmxcsr CONTEXT_MXCSR(%rsp)
	fnstcw CONTEXT_FCW(%rsp)
	movq (%rsp), %rax
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	/* Loading the control state is skipped when it is already right
	 * (nearly always: the defaults), as it costs a helper call under
	 * emulation and a pipeline drain on some hardware. */
	cmpq CONTEXT_MXCSR(%rsp), %rax
	je 1f
	ldmxcsr CONTEXT_MXCSR(%rsp)
	fldcw CONTEXT_FCW(%rsp)
1:	addq $FP_CONTROL_SLOT, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size arch_context_switch, . - arch_context_switch

/* uintptr_t arch_context_make(uintptr_t stack_top, void (*entry)(void *),
 * void *arg) */
	.globl arch_context_make
	.type arch_context_make, @function
arch_context_make:
	andq $-STACK_ALIGNMENT, %rdi
	leaq -CONTEXT_SIZE(%rdi), %rax
	movl $MXCSR_DEFAULT, CONTEXT_MXCSR(%rax)
	movl $X87_CW_DEFAULT, CONTEXT_FCW(%rax)
	movq $0, CONTEXT_R15(%rax)
	movq $0, CONTEXT_R14(%rax)
	movq $0, CONTEXT_R13(%rax)
	movq %rdx, CONTEXT_R12(%rax)
	movq %rsi, CONTEXT_RBX(%rax)
	movq $0, CONTEXT_RBP(%rax)
	leaq context_start(%rip), %rcx
	movq %rcx, CONTEXT_PC(%rax)
	ret
	.size arch_context_make, . - arch_context_make

/* A new context's first code: %rsp = stack_top (aligned), rbx = entry,
 * r12 = arg, rbp = 0. */
	.type context_start, @function
context_start:
	movq %r12, %rdi
	call *%rbx
	ud2
	.size context_start, . - context_start

/* uintptr_t arch_context_fp(uintptr_t sp) */
	.globl arch_context_fp
	.type arch_context_fp, @function
arch_context_fp:
	movq CONTEXT_RBP(%rdi), %rax
	ret
	.size arch_context_fp, . - arch_context_fp

/* uintptr_t arch_context_pc(uintptr_t sp) */
	.globl arch_context_pc
	.type arch_context_pc, @function
arch_context_pc:
	movq CONTEXT_PC(%rdi), %rax
	ret
	.size arch_context_pc, . - arch_context_pc

	.section .note.GNU-stack, "", @progbits
