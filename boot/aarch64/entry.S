/*
 * aarch64 entry. The image starts with the Linux arm64 Image header, so
 * the same bytes boot as an ELF through QEMU's -kernel (entered at _start,
 * x0 = 0, the device tree at the base of RAM) and as a raw Image through
 * U-Boot's booti or QEMU (x0 = the device tree). It is linked at RAM base +
 * 2 MiB, the header's text_offset, which is where booti puts it; the 2 MiB
 * below leave room for the 1 MiB device tree QEMU puts at RAM base.
 *
 * Entered at EL2 (virtualization on), the stub configures EL2 to run an
 * AArch64 EL1 with timers and FP/SIMD untrapped and drops to EL1. At EL1 it
 * switches to the boot stack, zeroes .bss, enables FP/SIMD and calls
 * aarch64_boot(x0) with the MMU still off: that C code must make only
 * aligned accesses until it has turned the MMU on.
 */
#include "kernel/boot_stack.h"
#include "arch/aarch64/aarch64.h"

	.section .text.boot, "ax"
	.globl _start
_start:
	b	entry				/* code0 */
	.long	0				/* code1 */
	.quad	0x200000			/* text_offset */
	.quad	__image_end - _start		/* image_size */
	.quad	0x2				/* flags: little-endian, 4 KiB pages */
	.quad	0, 0, 0				/* reserved */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* reserved */

entry:
	mov	x19, x0
	mrs	x1, CurrentEL
	cmp	x1, #CURRENTEL_EL2
	b.ne	at_el1

	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #CNTHCTL_EL2_EL1PCEN_EL1PCTEN
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #CPTR_EL2_NO_FP_TRAP
	msr	cptr_el2, x1
	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	adr	x1, at_el1
	msr	elr_el2, x1
	eret

at_el1:
	msr	daifset, #0xf
	ldr	x1, =boot_stack + BOOT_STACK_SIZE
	mov	sp, x1
	mrs	x1, cpacr_el1
	orr	x1, x1, #CPACR_EL1_FPEN
	msr	cpacr_el1, x1
	isb

	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	aarch64_boot
3:	wfi
	b	3b


	.section .note.GNU-stack, "", %progbits
