/*
 * riscv64 entry. The image starts with the RISC-V Linux Image header, so
 * the same bytes boot as an ELF through QEMU's -kernel and as a raw Image
 * through U-Boot's booti. It is linked at 0x80200000, where OpenSBI enters
 * the next stage in S-mode with a0 = this hart's id and a1 = the device
 * tree.
 *
 * The stub masks interrupts, switches to the boot stack, enables the FPU,
 * zeroes .bss and calls riscv64_boot(hartid, dtb). Only the hart OpenSBI
 * picked runs; the others stay parked in the firmware until started.
 */
#include "kernel/boot_stack.h"
#include "arch/riscv64/riscv.h"

	.section .text.boot, "ax"
	.globl _start
_start:
	.option push
	.option norvc
	j	entry				/* code0 */
	.word	0				/* code1 */
	.option pop
	.dword	0x200000			/* text_offset */
	.dword	__image_end - _start		/* image_size */
	.dword	0				/* flags: little-endian */
	.word	2				/* header version 0.2 */
	.word	0
	.dword	0
	.ascii	"RISCV\0\0\0"			/* magic (deprecated) */
	.ascii	"RSC\x05"			/* magic2 */
	.word	0

entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	mv	s1, a0
	mv	s2, a1
	la	sp, boot_stack + BOOT_STACK_SIZE
	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0

	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	li	s0, 0
	li	ra, 0
	mv	a0, s1
	mv	a1, s2
	call	riscv64_boot
3:	wfi
	j	3b


	.section .note.GNU-stack, "", %progbits
