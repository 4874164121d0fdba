/*
 * riscv64 entry. The image starts with the RISC-V Linux Image header, so
 * the same bytes boot as an ELF through QEMU's -kernel and as a raw Image
 * through U-Boot's booti. It is linked at 0x80200000, where OpenSBI enters
 * the next stage in S-mode with a0 = this hart's id and a1 = the device
 * tree.
 *
 * The entry code masks interrupts, points tp at cpus[0] (kernel/cpu.h: the
 * per-CPU register, needed by any trap), switches to the boot stack,
 * enables the FPU, zeroes .bss and calls riscv64_boot(hartid, dtb). Only
 * the hart OpenSBI picked runs; the others stay parked in the firmware
 * until SBI HSM hart_start sends them to riscv64_secondary_entry (or, by
 * a firmware race, here: see entry).
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
	/* Only the first hart to get here boots. OpenSBI 1.1's hart_start
	 * publishes "start pending" before the start address, so the hart
	 * being started can leave the firmware early for the stale address,
	 * which is this one (fixed in OpenSBI 1.3, commit e8e9ed37): a later
	 * hart here joins as the secondary being started. */
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, early_secondary
	mv	s1, a0
	mv	s2, a1
	la	tp, cpus
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

/*
 * A hart that took the stale start address (see entry): a0 = its hart id.
 * If it is the hart arch_cpu_start is starting, it continues as that CPU;
 * any other hart parks.
 */
early_secondary:
	la	t0, riscv64_cpu_starting
	ld	a1, 0(t0)
	beqz	a1, 5f
	ld	t1, CPU_HWID_OFFSET(a1)
	bne	t1, a0, 5f
	j	riscv64_secondary_entry
5:	wfi
	j	5b

	.data
	.balign 4
boot_claimed:				/* in .data: .bss is zeroed after the claim */
	.word	0

/*
 * A secondary hart, from SBI HSM hart_start (arch/riscv64/cpu.c): S-mode,
 * paging off, a0 = hart id, a1 = its struct cpu. Turns paging on with the
 * kernel's root table (this code is identity-mapped, so it runs on), then
 * tp = c, sp = c->stack_top, FPU on, and riscv64_secondary_boot(c).
 */
	.text
	.balign 4
	.globl riscv64_secondary_entry
riscv64_secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	la	t0, riscv64_satp
	ld	t0, 0(t0)
	sfence.vma
	csrw	satp, t0
	sfence.vma
	mv	tp, a1
	ld	sp, CPU_STACK_TOP_OFFSET(a1)
	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	li	s0, 0
	li	ra, 0
	mv	a0, a1
	call	riscv64_secondary_boot
4:	wfi
	j	4b


	.section .note.GNU-stack, "", %progbits
