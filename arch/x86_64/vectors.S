/*
 * x86_64 trap and interrupt entry (kernel/arch.h, "Where traps run").
 *
 * Each of the 256 vectors has a short entry that pushes a zero where the CPU
 * pushes no error code (every vector but the eight exceptions that have
 * one), then the vector number. No vector lets the CPU push its frame on
 * the interrupted stack: that stack may be a goroutine's, whose next page
 * is not mapped yet, and a page fault while the CPU pushes a frame is a
 * double fault. Instead every gate names a stack of the TSS's interrupt
 * stack table (trap.c), private to the CPU:
 *
 *  - exceptions arrive on the exception trampoline. exception_common moves
 *    the frame to the CPU's exception stack (cpu.exception_stack_top), or,
 *    when the interrupted code already ran on it (a fault inside a fault
 *    handler), just below the interrupted %rsp, so frames nest. Both are
 *    always mapped: nothing faults while the trampoline's frame is read,
 *    and the next exception may reuse the trampoline as soon as the frame
 *    is moved.
 *  - interrupts arrive on the interrupt trampoline. interrupt_common moves
 *    the frame to the interrupted stack, where the CPU itself would have
 *    put it (%rsp aligned down to 16). Those writes may fault; the fault
 *    is an ordinary exception (on the exception trampoline, a different
 *    stack) that maps the page, and the write is retried. The interrupt
 *    trampoline is not reused meanwhile: interrupts stay off until iretq.
 *  - NMIs, double faults and machine checks stay on their emergency stack
 *    and are reported there.
 *
 * A trampoline holds TRAMPOLINE_WORDS words, from %rsp up: the interrupted
 * %rcx and %rax (pushed first, as scratch), the vector, the error code and
 * the CPU's frame (rip, cs, rflags, rsp, ss). Moving them is a series of
 * pushes on the target stack, read through %rcx, so a fault while moving
 * reports the stack that faulted as its %rsp. trap_save then pushes the
 * other general registers and the x87/SSE state (fxsave, 512 bytes),
 * because interrupts arrive anywhere and the compiler keeps values in XMM
 * registers. The result is a struct trapframe (trap.c), 16-byte aligned
 * (the target top is, and the frame is a multiple of 16). Just below it,
 * and above the call to x86_64_trap, sits a frame record {interrupted rbp,
 * interrupted rip} that %rbp points at during the call, so a frame-pointer
 * walk from the handler crosses into the interrupted code. The call's
 * return address is listed in x86_64_trap_returns: kernel/backtrace.c
 * recognizes it, finds the trap frame TRAPFRAME_RECORD bytes above the
 * record (trap.c, arch_trap_frame_find) and reads the interrupted rip as
 * the exact pc it is, not as a return address.
 *
 * x86_64_trap may switch contexts (kernel_interrupt_return) and return on
 * another CPU, so the exit path only pops the frame and iretqs: it reads
 * nothing per-CPU, and the GS base is never part of a frame.
 */
#include "arch/x86_64/x86.h"

#define TRAMPOLINE_WORDS 9
#define TRAMPOLINE_RSP   56 /* the interrupted %rsp, once %rax and %rcx are pushed */
#define VECTOR_AND_ERROR 16 /* the per-vector entry's two words */

	.altmacro

	.macro VECTOR n, cpu_pushes_error, entry
	.balign 16
vector\n:
	.if \cpu_pushes_error == 0
	pushq $0
	.endif
	pushq $\n
	jmp \entry
	.endm

	.macro VECTOR_ADDRESS n
	.quad vector\n
	.endm

/* Pushes the trampoline's words onto the stack whose 16-byte aligned top
 * is in %rax and leaves %rsp there, %rcx pointing at the trampoline. */
	.macro MOVE_FRAME
	movq %rsp, %rcx
	movq %rax, %rsp
	.set offset, (TRAMPOLINE_WORDS - 1) * 8
	.rept TRAMPOLINE_WORDS
	pushq offset(%rcx)
	.set offset, offset - 8
	.endr
	.endm

	.text
	VECTOR 0, 0, exception_common
	VECTOR 1, 0, exception_common
	VECTOR 2, 0, emergency_common		/* NMI */
	VECTOR 3, 0, exception_common
	VECTOR 4, 0, exception_common
	VECTOR 5, 0, exception_common
	VECTOR 6, 0, exception_common
	VECTOR 7, 0, exception_common
	VECTOR 8, 1, emergency_common		/* double fault */
	VECTOR 9, 0, exception_common
	VECTOR 10, 1, exception_common
	VECTOR 11, 1, exception_common
	VECTOR 12, 1, exception_common
	VECTOR 13, 1, exception_common
	VECTOR 14, 1, exception_common
	VECTOR 15, 0, exception_common
	VECTOR 16, 0, exception_common
	VECTOR 17, 1, exception_common
	VECTOR 18, 0, emergency_common		/* machine check */
	VECTOR 19, 0, exception_common
	VECTOR 20, 0, exception_common
	VECTOR 21, 1, exception_common
	VECTOR 22, 0, exception_common
	VECTOR 23, 0, exception_common
	VECTOR 24, 0, exception_common
	VECTOR 25, 0, exception_common
	VECTOR 26, 0, exception_common
	VECTOR 27, 0, exception_common
	VECTOR 28, 0, exception_common
	VECTOR 29, 1, exception_common
	VECTOR 30, 1, exception_common
	VECTOR 31, 0, exception_common
	/* Interrupts (device lines, the local APIC's sources): no error code. */
	.set n, NEXCEPTIONS
	.rept 256 - NEXCEPTIONS
	VECTOR %n, 0, interrupt_common
	.set n, n + 1
	.endr

exception_common:
	pushq %rax
	pushq %rcx
	movl x86_64_cpu_exception_stack_top_offset(%rip), %eax
	movq %gs:(%rax), %rax			/* this CPU's exception stack top */
	movq TRAMPOLINE_RSP(%rsp), %rcx
	subq %rax, %rcx
	addq x86_64_exception_stack_size(%rip), %rcx	/* interrupted %rsp - bottom */
	cmpq x86_64_exception_stack_size(%rip), %rcx
	jae 1f
	movq TRAMPOLINE_RSP(%rsp), %rax		/* nested: below the interrupted frame */
	andq $-STACK_ALIGNMENT, %rax
1:	MOVE_FRAME
	jmp trap_save

interrupt_common:
	pushq %rax
	pushq %rcx
	movq TRAMPOLINE_RSP(%rsp), %rax
	andq $-STACK_ALIGNMENT, %rax
	MOVE_FRAME
	jmp trap_save

emergency_common:
	pushq %rax
	pushq %rcx
	/* fall through: the frame stays where it is */

trap_save:
	pushq %rbx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	subq $FXSAVE_SIZE, %rsp
	fxsave64 (%rsp)
	movq %rsp, %rdi
	pushq TRAPFRAME_RIP(%rdi)
	pushq TRAPFRAME_RBP(%rdi)
	movq %rsp, %rbp
	call x86_64_trap
.Ltrap_returned:
	addq $TRAPFRAME_RECORD, %rsp
	fxrstor64 (%rsp)
	addq $FXSAVE_SIZE, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rbx
	popq %rcx
	popq %rax
	addq $VECTOR_AND_ERROR, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl x86_64_vector_entries
x86_64_vector_entries:
	.set n, 0
	.rept 256
	VECTOR_ADDRESS %n
	.set n, n + 1
	.endr

/* The return addresses of the calls made with %rbp at a trap frame's
 * record (trap.c, arch_trap_frame_find), then 0. */
	.balign 8
	.globl x86_64_trap_returns
x86_64_trap_returns:
	.quad .Ltrap_returned
	.quad 0

	.section .note.GNU-stack, "", @progbits
