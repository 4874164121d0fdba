/*
 * riscv64 S-mode trap entry (stvec, direct mode), for exceptions and
 * interrupts alike. Makes room for a struct trapframe (arch/riscv64/
 * trap.c) on the current stack, saves x1-x31 (x2 as the interrupted sp),
 * sepc, sstatus, scause, stval, f0-f31 and fcsr, and calls
 * riscv64_trap(frame). If that returns, everything is restored and sret
 * resumes the interrupted code. The FPU is always enabled in sstatus.FS
 * (the entry code turns it on, and every hart keeps it on).
 */
#define FRAME_SIZE 560
#define FRAME_SEPC 256
#define FRAME_SSTATUS 264
#define FRAME_SCAUSE 272
#define FRAME_STVAL 280
#define FRAME_F 288
#define FRAME_FCSR 544

	.text
	.balign 4
	.globl riscv64_trap_entry
riscv64_trap_entry:
	addi	sp, sp, -FRAME_SIZE
	sd	x1, 8(sp)
	.irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\r, (\r * 8)(sp)
	.endr
	.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	fsd	f\r, (FRAME_F + \r * 8)(sp)
	.endr
	.irp r, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\r, (FRAME_F + \r * 8)(sp)
	.endr
	frcsr	t0
	sd	t0, FRAME_FCSR(sp)
	addi	t0, sp, FRAME_SIZE
	sd	t0, 16(sp)
	csrr	t0, sepc
	sd	t0, FRAME_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, FRAME_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, FRAME_STVAL(sp)
	mv	a0, sp
	call	riscv64_trap
	ld	t0, FRAME_FCSR(sp)
	fscsr	t0
	.irp r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	fld	f\r, (FRAME_F + \r * 8)(sp)
	.endr
	.irp r, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\r, (FRAME_F + \r * 8)(sp)
	.endr
	ld	t0, FRAME_SEPC(sp)
	csrw	sepc, t0
	ld	t0, FRAME_SSTATUS(sp)
	csrw	sstatus, t0
	ld	x1, 8(sp)
	.irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\r, (\r * 8)(sp)
	.endr
	addi	sp, sp, FRAME_SIZE
	sret

	.section .note.GNU-stack, "", %progbits
