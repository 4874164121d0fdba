/*
 * aarch64 EL1 exception vectors (VBAR_EL1): 16 entries of 0x80 bytes, for
 * {current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64, lower
 * EL AArch32} x {synchronous, IRQ, FIQ, SError}.
 *
 * Stacks. All normal kernel code runs with PSTATE.SPSel = 0, on SP_EL0 (the
 * boot code switches every CPU to it before any C code); SP_EL1 is this
 * CPU's exception stack, [cpu->exception_stack_top - EXCEPTION_STACK_SIZE,
 * cpu->exception_stack_top), and it stays at the top whenever no exception
 * is being handled. Taking an exception selects SP_EL1, so:
 *
 * - An exception (synchronous, FIQ, SError) from normal code ("current EL
 *   with SP_EL0") builds its frame at the exception stack's top. One taken
 *   while handling another ("current EL with SP_ELx") builds its frame
 *   just below the interrupted one's sp (AAPCS64 has no red zone, so
 *   nothing live lies below it). exception_entry saves the whole register
 *   state, calls aarch64_trap(frame, index) (trap.c) on the exception stack
 *   and, if it returns, restores everything and erets. The stack that
 *   faulted is never written, so a fault on an unmapped goroutine stack
 *   page is handled like any other. Exceptions from a lower EL (there is
 *   no EL0 code) land there too and are reported.
 *
 * - An IRQ from normal code saves its frame on the interrupted stack
 *   (SP_EL0), because kernel_interrupt_return may switch to another
 *   context and resume this one much later, on another CPU. irq_entry
 *   saves x0-x3 on SP_EL1 and reads ELR_EL1 and SPSR_EL1 into registers
 *   before its first store to the interrupted stack: such a store may fault
 *   (the stack's next page not mapped yet), and the fault, a nested
 *   exception on SP_EL1 below the saved x0-x3, overwrites ELR_EL1 and
 *   SPSR_EL1, maps the page and resumes the store. Once the general
 *   registers are in the frame, SP_EL1 is back at the top, SPSel switches
 *   to 0 and sp to the frame; the FP/SIMD state follows (a fault there is a
 *   plain exception from SP_EL0). Then aarch64_irq (irq.c: the handlers and
 *   the end-of-interrupt), kernel_interrupt_return, and the exit through
 *   the frame on SP_EL0: nothing on that path reads a per-CPU register
 *   (TPIDR_EL1 is never in a frame), and the eret returns to EL1t.
 *   An IRQ taken on the exception stack (handlers keep IRQs masked) is a
 *   bug and goes to aarch64_trap, which reports it.
 *
 * The frame is struct trapframe (trap.c): x0-x30, the interrupted sp, ELR,
 * SPSR, ESR, FAR (both zero for an IRQ), FPSR, FPCR, a frame record {x29,
 * ELR} that x29 points at while the handler runs (so a frame-pointer walk
 * from the handler passes through the interrupted pc), and q0-q31. The
 * return addresses of the calls made with x29 there (to aarch64_trap,
 * aarch64_irq and kernel_interrupt_return) are listed in
 * aarch64_trap_returns: kernel/backtrace.c recognizes them, finds the
 * trap frame FRAME_RECORD bytes below the record (trap.c,
 * arch_trap_frame_find), and reads ELR as the exact pc it is, not as a
 * return address.
 * The exit path restores ELR_EL1 and SPSR_EL1 before the other registers:
 * the frame was written by this entry, so no load after them can fault.
 * The interrupted sp is restored by popping the frame (SP_EL0 is not
 * touched by an exception, so its value there is only for reports).
 */
#include "arch/aarch64/aarch64.h"

#define FRAME_SIZE   832
#define FRAME_X30_SP 240 /* x30, then the interrupted sp */
#define FRAME_ELR    256 /* ELR_EL1, then SPSR_EL1 */
#define FRAME_ESR    272 /* ESR_EL1, then FAR_EL1 */
#define FRAME_FPSR   288 /* FPSR, then FPCR */
#define FRAME_RECORD 304 /* {x29, ELR} */
#define FRAME_Q      320 /* q0-q31 */

/* irq_entry's room for x0-x3 on SP_EL1. */
#define IRQ_SCRATCH 32

/* x4-x29 to (or from) the frame at base. */
	.macro GPRS op, base
	\op	x4, x5, [\base, #32]
	\op	x6, x7, [\base, #48]
	\op	x8, x9, [\base, #64]
	\op	x10, x11, [\base, #80]
	\op	x12, x13, [\base, #96]
	\op	x14, x15, [\base, #112]
	\op	x16, x17, [\base, #128]
	\op	x18, x19, [\base, #144]
	\op	x20, x21, [\base, #160]
	\op	x22, x23, [\base, #176]
	\op	x24, x25, [\base, #192]
	\op	x26, x27, [\base, #208]
	\op	x28, x29, [\base, #224]
	.endm

/* q0-q31 to (or from) the frame at sp. */
	.macro QREGS op
	\op	q0, q1, [sp, #FRAME_Q]
	\op	q2, q3, [sp, #FRAME_Q + 32]
	\op	q4, q5, [sp, #FRAME_Q + 64]
	\op	q6, q7, [sp, #FRAME_Q + 96]
	\op	q8, q9, [sp, #FRAME_Q + 128]
	\op	q10, q11, [sp, #FRAME_Q + 160]
	\op	q12, q13, [sp, #FRAME_Q + 192]
	\op	q14, q15, [sp, #FRAME_Q + 224]
	\op	q16, q17, [sp, #FRAME_Q + 256]
	\op	q18, q19, [sp, #FRAME_Q + 288]
	\op	q20, q21, [sp, #FRAME_Q + 320]
	\op	q22, q23, [sp, #FRAME_Q + 352]
	\op	q24, q25, [sp, #FRAME_Q + 384]
	\op	q26, q27, [sp, #FRAME_Q + 416]
	\op	q28, q29, [sp, #FRAME_Q + 448]
	\op	q30, q31, [sp, #FRAME_Q + 480]
	.endm

/* The FP/SIMD state to the frame at sp. Clobbers x1, x2. */
	.macro SAVE_FP
	QREGS	stp
	mrs	x1, fpsr
	mrs	x2, fpcr
	stp	x1, x2, [sp, #FRAME_FPSR]
	.endm

	.macro VENTRY index
	.balign 0x80
	.if \index == VECTOR_IRQ_SP0
	b	irq_entry
	.else
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\index
	b	exception_entry
	.endif
	.endm

	.text
	.balign 2048
	.globl aarch64_vectors
aarch64_vectors:
	.irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	VENTRY \i
	.endr

/* On SP_EL1 with the frame allocated and x0, x1 saved; x0 = the vector
 * index. */
exception_entry:
	stp	x2, x3, [sp, #16]
	GPRS	stp, sp
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x1, sp_el0
	tbz	x3, #SPSR_M_SP_ELX_BIT, 1f
	add	x1, sp, #FRAME_SIZE		/* nested: it ran just above */
1:	stp	x30, x1, [sp, #FRAME_X30_SP]
	mrs	x1, esr_el1
	mrs	x3, far_el1
	stp	x1, x3, [sp, #FRAME_ESR]
	stp	x29, x2, [sp, #FRAME_RECORD]
	add	x29, sp, #FRAME_RECORD
	SAVE_FP
	mov	x1, x0
	mov	x0, sp
	bl	aarch64_trap
.Ltrap_returned:
	b	trap_return

/* On SP_EL1 (at the exception stack's top), nothing saved yet. */
irq_entry:
	sub	sp, sp, #IRQ_SCRATCH
	stp	x0, x1, [sp]
	stp	x2, x3, [sp, #16]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	mrs	x2, sp_el0
	sub	x3, x2, #FRAME_SIZE
	/* Each store to the frame at x3 may fault and be resumed. */
	GPRS	stp, x3
	stp	x30, x2, [x3, #FRAME_X30_SP]
	stp	x0, x1, [x3, #FRAME_ELR]
	stp	x29, x0, [x3, #FRAME_RECORD]
	ldp	x0, x1, [sp]
	stp	x0, x1, [x3, #0]
	ldp	x0, x1, [sp, #16]
	stp	x0, x1, [x3, #16]
	add	sp, sp, #IRQ_SCRATCH
	msr	spsel, #0
	mov	sp, x3
	stp	xzr, xzr, [sp, #FRAME_ESR]
	add	x29, sp, #FRAME_RECORD
	SAVE_FP
	bl	aarch64_irq
.Lirq_returned:
	bl	kernel_interrupt_return
.Linterrupt_return_returned:

/* Restores the frame at sp, pops it and erets. */
trap_return:
	QREGS	ldp
	ldp	x1, x2, [sp, #FRAME_FPSR]
	msr	fpsr, x1
	msr	fpcr, x2
	ldp	x1, x2, [sp, #FRAME_ELR]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	GPRS	ldp, sp
	ldr	x30, [sp, #FRAME_X30_SP]
	add	sp, sp, #FRAME_SIZE
	eret

/* The return addresses of the calls made with x29 at a trap frame's
 * record (trap.c, arch_trap_frame_find), then 0. */
	.section .rodata
	.balign 8
	.globl aarch64_trap_returns
aarch64_trap_returns:
	.quad	.Ltrap_returned
	.quad	.Lirq_returned
	.quad	.Linterrupt_return_returned
	.quad	0

	.section .note.GNU-stack, "", %progbits
