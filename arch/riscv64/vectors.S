/*
 * riscv64 S-mode trap entry (stvec, direct mode) and exit, following
 * kernel/arch.h, "Where traps run". scause's top bit splits the two paths
 * at the first instruction.
 *
 * Both build a struct trapframe (arch/riscv64/trap.c): x1-x31 (x2 as the
 * interrupted sp, x4 = tp only for the report), sepc, sstatus, scause,
 * stval, f0-f31 and fcsr (the handlers' C code may use the FPU, which
 * every hart keeps enabled in sstatus.FS), and a frame record {interrupted
 * s0, sepc} at its top that s0 points just above while the handler runs,
 * so a backtrace walks from the handler into the interrupted code. The
 * return addresses of the calls made with s0 there (to riscv64_exception,
 * riscv64_interrupt and kernel_interrupt_return) are listed in
 * riscv64_trap_returns: kernel/backtrace.c recognizes them, finds the
 * trap frame just below s0 (trap.c, arch_trap_frame_find), and reads sepc
 * as the exact pc it is, not as a return address, and ra as the return
 * address of an interrupted leaf function.
 *
 * Scratch. Until a frame holds them, the entry parks registers in this
 * CPU's cpu->arch.trap_scratch, whose address sscratch always holds
 * (riscv64_traps_init sets it; the entry swaps it out for one
 * instruction and back, before anything can fault). The per-CPU pointer
 * tp gives the exception stack; it is valid whenever a trap can be taken
 * and the entry never changes or restores it.
 *
 * Exceptions run on this CPU's exception stack: at its top, or, when the
 * interrupted sp already lies on it (a fault in a handler), just below
 * the interrupted sp. Nothing in this path can fault (the exception stack
 * and struct cpu are kernel memory), so t0-t2 wait in the TRAP slots only
 * until the frame exists. The C side is riscv64_exception.
 *
 * Interrupts save their frame on the interrupted stack, which may be a
 * goroutine stack whose next page is not mapped yet. The entry first parks
 * t0-t3 in the IRQ slots (no interrupt can nest: sstatus.SIE is off, and
 * the exception path uses only the TRAP slots) and holds sepc, sstatus,
 * scause and the interrupted sp in t0-t3; only then does it store to the
 * stack. A store that faults enters the exception path, which clobbers
 * the trap CSRs but restores every register, so the store is retried and
 * the entry continues. It then calls riscv64_interrupt (the handler and
 * the end-of-interrupt) and kernel_interrupt_return, which may switch
 * contexts and return on another CPU: sscratch and tp are then that
 * CPU's, and the exit uses them as they are. Because a load from the
 * frame may still fault (a stale TLB entry for a page another CPU
 * mapped), the exit reads the whole frame before it writes sepc and
 * sstatus, parking the last five values in the IRQ slots.
 */
#include "arch/riscv64/riscv.h"

/* struct trapframe (trap.c checks every offset). */
#define FRAME_X(r)    ((r) * 8)
#define FRAME_SEPC    256
#define FRAME_SSTATUS 264
#define FRAME_SCAUSE  272
#define FRAME_STVAL   280
#define FRAME_F(r)    (288 + (r) * 8)
#define FRAME_FCSR    544
#define FRAME_LINK_FP 560
#define FRAME_LINK_PC 568
#define FRAME_SIZE    576
#define FRAME_ALIGN   16 /* the ABI's stack alignment */

/* The trap scratch words (struct arch_cpu, RISCV_TRAP_SCRATCH_WORDS). */
#define TRAP_T0     0
#define TRAP_T1     8
#define TRAP_T2     16
#define IRQ_T0      24 /* entry and exit */
#define IRQ_T1      32 /* entry and exit */
#define IRQ_T2      40 /* entry */
#define IRQ_T3      48 /* entry */
#define IRQ_SP      40 /* exit */
#define IRQ_SEPC    48 /* exit */
#define IRQ_SSTATUS 56 /* exit */

/* Stores or loads the FPU state; uses t0. */
.macro save_fpu
	.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	fsd	f\r, FRAME_F(\r)(sp)
	.endr
	.irp r, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\r, FRAME_F(\r)(sp)
	.endr
	frcsr	t0
	sd	t0, FRAME_FCSR(sp)
.endm

.macro restore_fpu
	ld	t0, FRAME_FCSR(sp)
	fscsr	t0
	.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	fld	f\r, FRAME_F(\r)(sp)
	.endr
	.irp r, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\r, FRAME_F(\r)(sp)
	.endr
.endm

/* Stores x1, x3, x4 and x8-x27, x29-x31: all but x0, sp and t0-t3. */
.macro save_gprs_but_t0_t3
	sd	x1, FRAME_X(1)(sp)
	sd	x3, FRAME_X(3)(sp)
	sd	x4, FRAME_X(4)(sp)
	.irp r, 8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27
	sd	x\r, FRAME_X(\r)(sp)
	.endr
	.irp r, 29,30,31
	sd	x\r, FRAME_X(\r)(sp)
	.endr
.endm

/* Loads x1, x3 and x7-x31: all but x0, sp, tp, t0 and t1. */
.macro restore_gprs_but_t0_t1
	ld	x1, FRAME_X(1)(sp)
	ld	x3, FRAME_X(3)(sp)
	.irp r, 7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27
	ld	x\r, FRAME_X(\r)(sp)
	.endr
	.irp r, 28,29,30,31
	ld	x\r, FRAME_X(\r)(sp)
	.endr
.endm

	.text
	.balign 4
	.globl riscv64_trap_entry
riscv64_trap_entry:
	csrrw	t0, sscratch, t0	/* t0 = the scratch words */
	sd	t1, TRAP_T1(t0)
	csrrw	t1, sscratch, t0	/* sscratch = the scratch words again */
	sd	t1, TRAP_T0(t0)
	csrr	t1, scause
	bltz	t1, interrupt_entry

	/* An exception (t0 = the scratch words): the frame goes on the
	 * exception stack, below sp if sp is already on it. */
	sd	t2, TRAP_T2(t0)
	ld	t1, CPU_EXCEPTION_STACK_TOP_OFFSET(tp)
	li	t2, RISCV_EXCEPTION_STACK_SIZE
	sub	t2, t1, t2
	bltu	sp, t2, 1f
	bgeu	sp, t1, 1f
	mv	t1, sp
1:	addi	t1, t1, -FRAME_SIZE
	andi	t1, t1, -FRAME_ALIGN
	sd	sp, FRAME_X(2)(t1)
	mv	sp, t1
	save_gprs_but_t0_t3
	sd	t3, FRAME_X(28)(sp)
	ld	t1, TRAP_T0(t0)
	sd	t1, FRAME_X(5)(sp)
	ld	t1, TRAP_T1(t0)
	sd	t1, FRAME_X(6)(sp)
	ld	t1, TRAP_T2(t0)
	sd	t1, FRAME_X(7)(sp)
	save_fpu
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	sd	t0, FRAME_LINK_PC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, FRAME_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, FRAME_STVAL(sp)
	sd	s0, FRAME_LINK_FP(sp)
	addi	s0, sp, FRAME_SIZE
	mv	a0, sp
	call	riscv64_exception
.Lexception_returned:

	/* The exception stack never faults: restore in any order. */
	restore_fpu
	ld	t0, FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, FRAME_SSTATUS(sp)
	csrw	sstatus, t0
	restore_gprs_but_t0_t1
	ld	t0, FRAME_X(5)(sp)
	ld	t1, FRAME_X(6)(sp)
	ld	sp, FRAME_X(2)(sp)
	sret

	/* An interrupt (t0 = the scratch words, t1 = scause): the frame goes
	 * on the interrupted stack. */
interrupt_entry:
	sd	t2, IRQ_T2(t0)
	sd	t3, IRQ_T3(t0)
	ld	t2, TRAP_T0(t0)
	sd	t2, IRQ_T0(t0)
	ld	t2, TRAP_T1(t0)
	sd	t2, IRQ_T1(t0)
	mv	t2, t1
	csrr	t0, sepc
	csrr	t1, sstatus
	mv	t3, sp
	addi	sp, sp, -FRAME_SIZE
	andi	sp, sp, -FRAME_ALIGN
	/* From here a store may fault, and is then retried. */
	sd	t3, FRAME_X(2)(sp)
	sd	t0, FRAME_SEPC(sp)
	sd	t0, FRAME_LINK_PC(sp)
	sd	t1, FRAME_SSTATUS(sp)
	sd	t2, FRAME_SCAUSE(sp)
	sd	zero, FRAME_STVAL(sp)
	save_gprs_but_t0_t3
	csrr	t1, sscratch
	ld	t0, IRQ_T0(t1)
	sd	t0, FRAME_X(5)(sp)
	ld	t0, IRQ_T1(t1)
	sd	t0, FRAME_X(6)(sp)
	ld	t0, IRQ_T2(t1)
	sd	t0, FRAME_X(7)(sp)
	ld	t0, IRQ_T3(t1)
	sd	t0, FRAME_X(28)(sp)
	save_fpu
	sd	s0, FRAME_LINK_FP(sp)
	addi	s0, sp, FRAME_SIZE
	slli	a0, t2, 1		/* scause without the interrupt flag */
	srli	a0, a0, 1
	call	riscv64_interrupt
.Linterrupt_returned:
	call	kernel_interrupt_return
.Linterrupt_return_returned:

	/* Maybe on another CPU now: its sscratch and tp, which stay. */
	restore_fpu
	csrr	t1, sscratch
	ld	t0, FRAME_SEPC(sp)
	sd	t0, IRQ_SEPC(t1)
	ld	t0, FRAME_SSTATUS(sp)
	sd	t0, IRQ_SSTATUS(t1)
	ld	t0, FRAME_X(2)(sp)
	sd	t0, IRQ_SP(t1)
	ld	t0, FRAME_X(5)(sp)
	sd	t0, IRQ_T0(t1)
	ld	t0, FRAME_X(6)(sp)
	sd	t0, IRQ_T1(t1)
	restore_gprs_but_t0_t1
	/* The frame is read: from here nothing may fault. */
	ld	t0, IRQ_SEPC(t1)
	csrw	sepc, t0
	ld	t0, IRQ_SSTATUS(t1)
	csrw	sstatus, t0
	ld	sp, IRQ_SP(t1)
	ld	t0, IRQ_T0(t1)
	ld	t1, IRQ_T1(t1)
	sret

/* The return addresses of the calls made with s0 just above a trap
 * frame's record (trap.c, arch_trap_frame_find), then 0. */
	.section .rodata
	.balign 8
	.globl riscv64_trap_returns
riscv64_trap_returns:
	.dword	.Lexception_returned
	.dword	.Linterrupt_returned
	.dword	.Linterrupt_return_returned
	.dword	0

	.section .note.GNU-stack, "", %progbits
