/*
 * x86_64 entry through PVH: QEMU (and any PVH loader) reads the Xen
 * PHYS32_ENTRY note, loads the ELF at its physical addresses and jumps to
 * pvh_entry in 32-bit protected mode, paging off, %ebx = the physical
 * address of the hvm_start_info block.
 *
 * The entry code turns on PAE paging with static page tables that identity-map
 * the first 4 GiB (2 MiB pages, except the first 2 MiB in 4 KiB pages so
 * that page 0 can be unmapped once the start info that loaders put there
 * has been read: a nil dereference then faults), enters long mode, points
 * the per-CPU register (the GS base) at cpus[0] so that C code can always
 * ask which CPU it runs on, enables SSE, zeroes .bss and calls
 * x86_64_boot(start_info) on the boot stack. Nothing here depends on what
 * the firmware left in registers besides %ebx.
 */
#include "kernel/boot_stack.h"
#include "arch/x86_64/x86.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a"
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 4				/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_entry

	.section .text.boot, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	movl %ebx, %esi
	movl $(boot_stack + BOOT_STACK_SIZE), %esp

	PREPARE_LONG_MODE $boot_pml4
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE | CR0_WP), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $SEL_KCODE, $long_mode

	.code64
long_mode:
	LOAD_KERNEL_SEGMENTS
	movq $(boot_stack + BOOT_STACK_SIZE), %rsp
	movl $MSR_GS_BASE, %ecx
	movl $cpus, %eax			/* cpus[0].self is already set: .data */
	xorl %edx, %edx
	wrmsr

	ENABLE_SSE

	movl %esi, %ebx
	movq $__bss_start, %rdi
	movq $__bss_end, %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb

	xorl %ebp, %ebp
	movl %ebx, %edi
	call x86_64_boot
1:	cli
	hlt
	jmp 1b

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* SEL_KCODE: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* SEL_KDATA: data, DPL 0 */
boot_gdt_end:
	.balign 8
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .data.pagetables, "aw"
	.balign 4096
	.globl boot_pd
boot_pml4:
	.quad boot_pdpt + (PTE_P | PTE_W)
	.fill 511, 8, 0
boot_pdpt:
	.quad boot_pd + (PTE_P | PTE_W)
	.quad boot_pd + 0x1000 + (PTE_P | PTE_W)
	.quad boot_pd + 0x2000 + (PTE_P | PTE_W)
	.quad boot_pd + 0x3000 + (PTE_P | PTE_W)
	.fill 508, 8, 0
boot_pd:
	.quad boot_pt0 + (PTE_P | PTE_W)
	.set addr, 0x200000
	.rept 2047
	.quad addr + (PTE_P | PTE_W | PTE_PS)
	.set addr, addr + 0x200000
	.endr
	.globl boot_pt0
boot_pt0:
	.set addr, 0
	.rept 512
	.quad addr + (PTE_P | PTE_W)
	.set addr, addr + 0x1000
	.endr


	.section .note.GNU-stack, "", @progbits
