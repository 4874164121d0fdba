/*
 * x86_64 trap and interrupt entry. Each of the 256 vectors has an entry that
 * pushes a zero where the CPU pushes no error code (every vector but the
 * eight exceptions that have one), then the vector number, and joins
 * trap_common. trap_common saves every general register below them and
 * then the x87/SSE state (fxsave, 512 bytes), because interrupts arrive
 * anywhere and the compiler keeps values in XMM registers. The result is a
 * struct trapframe (arch/x86_64/trap.c) at %rsp, 16-byte aligned (the CPU
 * aligns the stack before pushing, and the frame is a multiple of 16),
 * passed to x86_64_trap. When that returns, everything is restored and
 * iretq resumes the interrupted code.
 */
#include "arch/x86_64/x86.h"

#define FXSAVE_SIZE 512

	.altmacro

	.macro VECTOR n, cpu_pushes_error
	.balign 16
vector\n:
	.if \cpu_pushes_error == 0
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
	.endm

	.macro VECTOR_ADDRESS n
	.quad vector\n
	.endm

	.text
	VECTOR 0, 0
	VECTOR 1, 0
	VECTOR 2, 0
	VECTOR 3, 0
	VECTOR 4, 0
	VECTOR 5, 0
	VECTOR 6, 0
	VECTOR 7, 0
	VECTOR 8, 1
	VECTOR 9, 0
	VECTOR 10, 1
	VECTOR 11, 1
	VECTOR 12, 1
	VECTOR 13, 1
	VECTOR 14, 1
	VECTOR 15, 0
	VECTOR 16, 0
	VECTOR 17, 1
	VECTOR 18, 0
	VECTOR 19, 0
	VECTOR 20, 0
	VECTOR 21, 1
	VECTOR 22, 0
	VECTOR 23, 0
	VECTOR 24, 0
	VECTOR 25, 0
	VECTOR 26, 0
	VECTOR 27, 0
	VECTOR 28, 0
	VECTOR 29, 1
	VECTOR 30, 1
	VECTOR 31, 0
	/* Interrupts (device lines, the local APIC's sources): no error code. */
	.set n, NEXCEPTIONS
	.rept 256 - NEXCEPTIONS
	VECTOR %n, 0
	.set n, n + 1
	.endr

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
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
	call x86_64_trap
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
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
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

	.section .note.GNU-stack, "", @progbits
