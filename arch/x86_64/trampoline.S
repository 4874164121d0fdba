/*
 * Where the other CPUs start: a STARTUP IPI starts a CPU in real mode at
 * CS = page << 8, IP = 0, so this code is copied to a free page below
 * 1 MiB (cpu.c picks it) and must run at whatever address that is. It
 * finds its own base from CS and patches the three absolute addresses it
 * needs (its GDT's, and the targets of its two far jumps) into its copy,
 * then goes real mode -> 32-bit protected mode -> long mode with the
 * kernel's page tables, in the order the Intel SDM gives (volume 3,
 * "Initializing IA-32e Mode").
 *
 In long mode it takes the struct cpu offered in trampoline_cpu with an
 * atomic exchange, leaving 0, and checks that the cpu's hwid is its own
 * APIC id (from CPUID): a CPU that answers too late, after the boot CPU
 * has moved on to the next one, puts the other CPU's offer back and parks,
 * as does one that finds no offer. Then it loads the stack and per-CPU
 * register from its struct cpu, enables SSE as the boot CPU did, and
 * calls x86_64_ap_main(cpu).
 *
 * The boot CPU fills trampoline_cr3 and then trampoline_cpu in the copy
 * before each INIT-SIPI-SIPI.
 */
#include "arch/x86_64/x86.h"

#define TRAMPOLINE_SEL_CODE32 0x18
/* No blanks: the expansion is also a single assembler macro argument. */
#define REL(sym) ((sym)-x86_64_trampoline_start)

	.section .rodata.x86_64_trampoline, "a"
	.balign 16
	.globl x86_64_trampoline_start
x86_64_trampoline_start:
	.code16
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movzwl %ax, %ebp
	shll $4, %ebp				/* %ebp = this copy's address */
	leal REL(trampoline_gdt)(%ebp), %eax
	movl %eax, REL(trampoline_gdt_ptr) + 2
	leal REL(protected_mode)(%ebp), %eax
	movl %eax, REL(trampoline_jump32)
	leal REL(long_mode)(%ebp), %eax
	movl %eax, REL(trampoline_jump64)
	lgdtl REL(trampoline_gdt_ptr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *REL(trampoline_jump32)

	.code32
protected_mode:
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	PREPARE_LONG_MODE REL(trampoline_cr3)(%ebp)
	movl %cr0, %eax
	andl $~(CR0_CD | CR0_NW), %eax		/* caches on (INIT leaves them off) */
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	ljmpl *REL(trampoline_jump64)(%ebp)

	.code64
long_mode:
	LOAD_KERNEL_SEGMENTS
	movl %ebp, %ebp				/* zero-extend the copy's address */

	/* Our APIC id: CPUID leaf 0xb has the full one, leaf 1 the 8-bit one. */
	xorl %eax, %eax
	cpuid
	cmpl $CPUID_TOPOLOGY, %eax
	jb 1f
	movl $CPUID_TOPOLOGY, %eax
	xorl %ecx, %ecx
	cpuid
	movl %edx, %esi
	jmp 2f
1:	movl $CPUID_FEATURES, %eax
	cpuid
	shrl $CPUID_1_EBX_APIC_ID_SHIFT, %ebx
	movl %ebx, %esi
2:	xorl %edi, %edi
	xchgq %rdi, REL(trampoline_cpu)(%rbp)	/* %rdi = struct cpu *, slot emptied */
	testq %rdi, %rdi
	jz park
	movl x86_64_cpu_hwid_offset, %eax
	cmpq (%rdi,%rax), %rsi
	je 3f
	xorl %eax, %eax				/* another CPU's: put it back */
	lock cmpxchgq %rdi, REL(trampoline_cpu)(%rbp)
	jmp park

3:		movl x86_64_cpu_stack_top_offset, %eax
	movq (%rdi,%rax), %rsp
	movl $MSR_GS_BASE, %ecx
	movl %edi, %eax
	movq %rdi, %rdx
	shrq $32, %rdx
	wrmsr
	ENABLE_SSE
	xorl %ebp, %ebp
	movabsq $x86_64_ap_main, %rax
	call *%rax
park:
	cli
	hlt
	jmp park

	.balign 8
trampoline_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* SEL_KCODE: 64-bit code */
	.quad 0x00cf92000000ffff		/* SEL_KDATA */
	.quad 0x00cf9a000000ffff		/* TRAMPOLINE_SEL_CODE32: 32-bit code */
trampoline_gdt_end:
trampoline_gdt_ptr:
	.word trampoline_gdt_end - trampoline_gdt - 1
	.long 0					/* patched: trampoline_gdt's address */
trampoline_jump32:
	.long 0					/* patched: protected_mode's address */
	.word TRAMPOLINE_SEL_CODE32
trampoline_jump64:
	.long 0					/* patched: long_mode's address */
	.word SEL_KCODE
	.balign 8
	.globl x86_64_trampoline_cpu, x86_64_trampoline_cr3
x86_64_trampoline_cpu:
trampoline_cpu:
	.quad 0
x86_64_trampoline_cr3:
trampoline_cr3:
	.long 0
	.globl x86_64_trampoline_end
x86_64_trampoline_end:

	.section .note.GNU-stack, "", @progbits
