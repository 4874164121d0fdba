/*
 * aarch64 entry, for the boot CPU and for the secondaries PSCI starts.
 *
 * The image starts with the Linux arm64 Image header, so the same bytes
 * boot as an ELF through QEMU's -kernel (entered at _start, x0 = 0, the
 * device tree at the base of RAM) and as a raw Image through U-Boot's booti
 * or QEMU (x0 = the device tree). It is linked at RAM base + 2 MiB, the
 * header's text_offset, which is where booti puts it; the 2 MiB below leave
 * room for the 1 MiB device tree QEMU puts at RAM base.
 *
 * Every CPU enters at the same exception level, EL2 when the machine has
 * virtualization on, else EL1, with the MMU off. drop_to_el1 configures EL2
 * to run an AArch64 EL1 with timers, FP/SIMD and the GICv3 system registers
 * untrapped, and erets to EL1. At EL1 the boot CPU points TPIDR_EL1 at
 * cpus[0] (before any C code, which may call this_cpu()), sets its stacks,
 * zeroes .bss, enables FP/SIMD and calls aarch64_boot(x0) with the MMU
 * still off: that C code must make only aligned accesses until it has
 * turned the MMU on.
 *
 * A secondary enters at aarch64_secondary_entry with x0 = its struct
 * aarch64_secondary_boot (the PSCI context id), drops to EL1 the same way,
 * turns the MMU on with the boot CPU's tables (aarch64_mmu_on, shared with
 * the boot CPU), and only then reads its record, which the boot CPU wrote
 * with the MMU on: stack, TPIDR_EL1, aarch64_secondary_main.
 *
 * Stacks: every CPU runs all its code from here on with PSTATE.SPSel = 0,
 * on SP_EL0 (the boot stack, or the CPU's stack from its record), and
 * points SP_EL1 at the top of its exception stack (cpu->exception_stack_top,
 * set before the CPU starts; statically for the boot CPU), which exceptions
 * select (arch/aarch64/vectors.S).
 */
#include "kernel/boot_stack.h"
#include "arch/aarch64/aarch64.h"

/* Interrupts masked, FP/SIMD untrapped at EL1. Clobbers x1. */
	.macro EL1_SETUP
	msr	daifset, #0xf
	mrs	x1, cpacr_el1
	orr	x1, x1, #CPACR_EL1_FPEN
	msr	cpacr_el1, x1
	isb
	.endm

/* SP_EL1 = the exception stack of the struct cpu at \cpu, then SPSel = 0
 * and SP_EL0 = \stack. Clobbers x2. */
	.macro SET_STACKS cpu, stack
	msr	spsel, #1
	ldr	x2, [\cpu, #CPU_EXCEPTION_STACK_TOP]
	mov	sp, x2
	msr	spsel, #0
	mov	sp, \stack
	.endm

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
	bl	drop_to_el1
	EL1_SETUP
	ldr	x1, =cpus
	msr	tpidr_el1, x1
	ldr	x3, =boot_stack + BOOT_STACK_SIZE
	SET_STACKS x1, x3

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
	b	halt

	.text
	.globl aarch64_secondary_entry
aarch64_secondary_entry:
	mov	x19, x0
	bl	drop_to_el1
	EL1_SETUP
	bl	aarch64_mmu_on
	ldp	x1, x0, [x19]			/* stack top, struct cpu */
	msr	tpidr_el1, x0
	SET_STACKS x0, x1
	mov	x29, xzr
	mov	x30, xzr
	bl	aarch64_secondary_main
halt:	wfi
	b	halt

/*
 * At EL2: lets EL1 run AArch64 with the physical timer, FP/SIMD and (if
 * there is one) the GICv3 CPU interface untrapped, gives it a zero virtual
 * counter offset and this CPU's own MIDR/MPIDR, and erets to the caller's
 * return address at EL1h with DAIF masked. At EL1: returns. No stack;
 * clobbers x1 and x2.
 */
drop_to_el1:
	mrs	x1, CurrentEL
	cmp	x1, #CURRENTEL_EL2
	b.ne	2f

	mov	x1, #HCR_EL2_RW
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #CNTHCTL_EL2_EL1PCEN_EL1PCTEN
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #CPTR_EL2_NO_FP_TRAP
	msr	cptr_el2, x1
	mrs	x1, midr_el1
	msr	vpidr_el2, x1
	mrs	x1, mpidr_el1
	msr	vmpidr_el2, x1
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #ID_AA64PFR0_GIC_SHIFT, #4
	cbz	x1, 1f
	mrs	x1, icc_sre_el2
	mov	x2, #ICC_SRE_EL2_SRE_ENABLE
	orr	x1, x1, x2
	msr	icc_sre_el2, x1
	isb
1:	ldr	x1, =SCTLR_EL1_RES1
	msr	sctlr_el1, x1
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	msr	elr_el2, x30
	eret
2:	ret

/*
 * Turns the MMU and caches on at EL1 with the translation registers in
 * aarch64_mmu_regs (MAIR, TCR, TTBR0; see arch/aarch64/arch.h), which the
 * boot CPU fills before it first calls this. Called by the boot CPU from
 * C and by each secondary from its entry, with the MMU off. No stack;
 * clobbers x0-x3.
 */
	.globl aarch64_mmu_on
aarch64_mmu_on:
	adrp	x0, aarch64_mmu_regs
	add	x0, x0, :lo12:aarch64_mmu_regs
	ldp	x1, x2, [x0]
	ldr	x3, [x0, #16]
	msr	mair_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	mrs	x1, sctlr_el1
	mov	x2, #(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x1, x1, x2
	bic	x1, x1, #SCTLR_A
	msr	sctlr_el1, x1
	isb
	ret

	.section .note.GNU-stack, "", %progbits
