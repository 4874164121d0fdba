/*
 * riscv64 S-mode trap entry (stvec, direct mode). Makes room for a struct
 * trapframe (arch/riscv64/trap.c) on the current stack, saves x1-x31 (x2
 * as the interrupted sp), sepc, sstatus, scause and stval, and calls
 * riscv64_trap(frame). If that returns, the registers are restored and
 * sret resumes the interrupted code.
 */
#define FRAME_SIZE 288

	.text
	.balign 4
	.globl riscv64_trap_entry
riscv64_trap_entry:
	addi	sp, sp, -FRAME_SIZE
	sd	x1, 8(sp)
	.irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\r, (\r * 8)(sp)
	.endr
	addi	t0, sp, FRAME_SIZE
	sd	t0, 16(sp)
	csrr	t0, sepc
	sd	t0, 256(sp)
	csrr	t0, sstatus
	sd	t0, 264(sp)
	csrr	t0, scause
	sd	t0, 272(sp)
	csrr	t0, stval
	sd	t0, 280(sp)
	mv	a0, sp
	call	riscv64_trap
	ld	t0, 256(sp)
	csrw	sepc, t0
	ld	t0, 264(sp)
	csrw	sstatus, t0
	ld	x1, 8(sp)
	.irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\r, (\r * 8)(sp)
	.endr
	addi	sp, sp, FRAME_SIZE
	sret

	.section .note.GNU-stack, "", %progbits
