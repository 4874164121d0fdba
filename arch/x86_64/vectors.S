/*
 * x86_64 exception entry. Each of the 32 exception vectors has a stub that
 * pushes a zero where the CPU pushes no error code, then the vector
 * number, and joins trap_common, which saves every general register below
 * them. The result is a struct trapframe (arch/x86_64/trap.c) at %rsp,
 * 16-byte aligned, passed to x86_64_trap. If that returns, the registers
 * are restored and iretq resumes the interrupted code.
 */
	.macro VECTOR n, cpu_pushes_error
	.balign 16
vector\n:
	.if \cpu_pushes_error == 0
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
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
	movq %rsp, %rdi
	call x86_64_trap
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
	.globl x86_64_exception_stubs
x86_64_exception_stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad vector\n
	.endr

	.section .note.GNU-stack, "", @progbits
