/*
 * riscv64 contexts (kernel/arch.h, Contexts): the scheduler's cooperative
 * stack switch. A suspended context is its stack pointer, and at that
 * address lies this record, pushed by arch_context_switch:
 *
 *   sp + 0     s0, the frame pointer of the code that called the switch
 *   sp + 8     ra, where the switch returns: the resume pc
 *   sp + 16    s1-s11
 *   sp + 104   fs0-fs11 (the lp64d ABI's callee-saved FP registers)
 *   sp + 200   fcsr
 *
 * The registers are all the ABI asks a callee to preserve; the
 * caller-saved ones are dead across the call. fcsr (rounding mode and
 * exception flags) is the goroutine's floating-point environment, which
 * the psABI and C11 give thread storage duration; it is written back only
 * when it differs, as writing it costs far more than reading. tp, the per-CPU pointer, is never
 * touched: a context may resume on another CPU.
 *
 * arch_context_make writes the same record with ra = context_start,
 * s1 = entry, s2 = arg and every other slot 0, so the first switch to it
 * "returns" into context_start, which calls entry(arg) with ra = 0 and
 * s0 = 0: the frame-pointer chain ends in entry's own frame record.
 * Interrupts stay as the switch found them (off).
 */
#define CONTEXT_S0   0
#define CONTEXT_RA   8
#define CONTEXT_S(n) (8 + (n) * 8)   /* s1-s11 */
#define CONTEXT_FS(n) (104 + (n) * 8) /* fs0-fs11 */
#define CONTEXT_FCSR 200
#define CONTEXT_SIZE 208
#define STACK_ALIGN  16

	.text
	.balign 4

/* void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp) */
	.globl arch_context_switch
arch_context_switch:
	addi	sp, sp, -CONTEXT_SIZE
	sd	s0, CONTEXT_S0(sp)
	sd	ra, CONTEXT_RA(sp)
	.irp n, 1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, CONTEXT_S(\n)(sp)
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	fsd	fs\n, CONTEXT_FS(\n)(sp)
	.endr
	frcsr	t0
	sd	t0, CONTEXT_FCSR(sp)
	sd	sp, 0(a0)
	mv	sp, a1
	ld	t1, CONTEXT_FCSR(sp)
	beq	t0, t1, 1f
	fscsr	t1
1:
	ld	s0, CONTEXT_S0(sp)
	ld	ra, CONTEXT_RA(sp)
	.irp n, 1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, CONTEXT_S(\n)(sp)
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	fld	fs\n, CONTEXT_FS(\n)(sp)
	.endr
	addi	sp, sp, CONTEXT_SIZE
	ret

/* uintptr_t arch_context_make(uintptr_t stack_top, void (*entry)(void *), void *arg) */
	.globl arch_context_make
arch_context_make:
	andi	a0, a0, -STACK_ALIGN
	addi	a0, a0, -CONTEXT_SIZE
	mv	t0, a0
	addi	t1, a0, CONTEXT_SIZE
1:	sd	zero, 0(t0)
	addi	t0, t0, 8
	bltu	t0, t1, 1b
	la	t0, context_start
	sd	t0, CONTEXT_RA(a0)
	sd	a1, CONTEXT_S(1)(a0)
	sd	a2, CONTEXT_S(2)(a0)
	ret

/* The first code a made context runs, on its empty stack: entry(arg). */
context_start:
	mv	a0, s2
	li	ra, 0
	jr	s1

/* uintptr_t arch_context_fp(uintptr_t sp), arch_context_pc(uintptr_t sp) */
	.globl arch_context_fp
arch_context_fp:
	ld	a0, CONTEXT_S0(a0)
	ret

	.globl arch_context_pc
arch_context_pc:
	ld	a0, CONTEXT_RA(a0)
	ret

	.section .note.GNU-stack, "", %progbits
