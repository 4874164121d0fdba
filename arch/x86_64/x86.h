/*
 * x86_64 register bits, selectors and port I/O, named once for the boot
 * code (assembly and C) and the arch layer.
 */
#ifndef GORT_X86_H
#define GORT_X86_H

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_WP 0x00010000
#define CR0_NW 0x20000000
#define CR0_CD 0x40000000
#define CR0_PG 0x80000000

#define CR4_PAE        0x00000020
#define CR4_OSFXSR     0x00000200
#define CR4_OSXMMEXCPT 0x00000400

#define MSR_APIC_BASE    0x0000001b
#define APIC_BASE_X2APIC 0x00000400 /* x2APIC mode (with APIC_BASE_ENABLE) */
#define APIC_BASE_ENABLE 0x00000800
#define MSR_TSC_DEADLINE 0x000006e0
#define MSR_X2APIC_BASE  0x00000800 /* + (xAPIC register offset >> 4) */
#define MSR_EFER         0xc0000080
#define EFER_LME         0x00000100
#define MSR_GS_BASE      0xc0000101

/* CPUID leaves and feature bits. */
#define CPUID_FEATURES            0x1
#define CPUID_1_ECX_X2APIC        (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE  (1u << 24)
#define CPUID_1_EBX_APIC_ID_SHIFT 24
#define CPUID_TOPOLOGY            0xb  /* EDX: the full (x2)APIC id */
#define CPUID_TSC_RATIO           0x15 /* EAX/EBX: TSC/crystal ratio, ECX: crystal Hz */
#define CPUID_BASE_FREQ           0x16 /* EAX: base frequency in MHz */

/* Page-table entry bits. */
#define PTE_P           0x001
#define PTE_W           0x002
#define PTE_PWT         0x008
#define PTE_PCD         0x010
#define PTE_PS          0x080
#define PTE_ADDR        0x000ffffffffff000ULL
#define PAGE_SIZE       4096
#define LARGE_PAGE_SIZE 0x200000
#define PT_ENTRIES      512
#define PML4_SHIFT      39
#define PT_SHIFT        12
#define PT_INDEX_BITS   9

/* Interrupt vectors. 0-31 are the CPU's exceptions; device lines (IOAPIC
 * inputs, numbered by global system interrupt) take one vector each from
 * VECTOR_IRQ_BASE; the local APIC's own sources sit above them, so they
 * win when several are pending. */
#define NEXCEPTIONS     32
#define VECTOR_IRQ_BASE 0x20
#define IRQ_LINES       0xd0 /* vectors 0x20-0xef */
#define VECTOR_TIMER    0xf0
#define VECTOR_IPI      0xf1
#define VECTOR_SPURIOUS 0xff

/* Local APIC registers (xAPIC MMIO offsets; x2APIC MSR = base + off >> 4). */
#define LAPIC_ID                    0x020
#define LAPIC_TPR                   0x080
#define LAPIC_EOI                   0x0b0
#define LAPIC_SVR                   0x0f0
#define LAPIC_ICR_LO                0x300
#define LAPIC_ICR_HI                0x310 /* xAPIC only: x2APIC has one 64-bit ICR */
#define LAPIC_LVT_TIMER             0x320
#define LAPIC_LVT_LINT0             0x350
#define LAPIC_LVT_LINT1             0x360
#define LAPIC_LVT_ERROR             0x370
#define LAPIC_TIMER_INITIAL         0x380
#define LAPIC_TIMER_CURRENT         0x390
#define LAPIC_TIMER_DIVIDE          0x3e0
#define LAPIC_XAPIC_ID_SHIFT        24
#define LAPIC_SVR_ENABLE            0x100
#define LAPIC_LVT_MASKED            0x10000
#define LAPIC_LVT_NMI               0x400
#define LAPIC_TIMER_ONESHOT         0x00000
#define LAPIC_TIMER_TSC_DEADLINE    0x40000
#define LAPIC_TIMER_DIVIDE_16       0x3
#define LAPIC_ICR_FIXED             0x000
#define LAPIC_ICR_INIT              0x500
#define LAPIC_ICR_STARTUP           0x600
#define LAPIC_ICR_PENDING           0x1000 /* xAPIC only */
#define LAPIC_ICR_ASSERT            0x4000
#define LAPIC_ICR_XAPIC_DEST_SHIFT  24 /* in ICR_HI */
#define LAPIC_ICR_X2APIC_DEST_SHIFT 32

/* The 8259 interrupt controllers: data ports hold the interrupt masks. */
#define PIC1_DATA    0x21
#define PIC2_DATA    0xa1
#define PIC_MASK_ALL 0xff

/* The 8254 programmable interval timer. */
#define PIT_HZ                  1193182
#define PIT_CH0                 0x40
#define PIT_CH2                 0x42
#define PIT_CMD                 0x43
#define PIT_SEL_CH0             0x00
#define PIT_SEL_CH2             0x80
#define PIT_LOHI                0x30 /* access low byte then high byte */
#define PIT_MODE0               0x00 /* interrupt on terminal count: OUT goes high at 0 */
#define PIT_READBACK_STATUS_CH0 0xe2 /* latch channel 0's status, not its count */
#define PIT_STATUS_OUT          0x80
/* Port 0x61 (NMI status and control): channel 2's gate and its output. */
#define PORT_SYSCTL     0x61
#define SYSCTL_CH2_GATE 0x01
#define SYSCTL_SPEAKER  0x02
#define SYSCTL_CH2_OUT  0x20

/* The CMOS real-time clock: index port, data port. */
#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

/* The trap frame (struct trapframe, arch/x86_64/trap.c) as vectors.S
 * builds it: the FXSAVE area at offset 0, then 15 general registers, the
 * vector, the error code and the CPU's five-word frame. */
#define FXSAVE_SIZE     512
#define TRAPFRAME_RBP   (FXSAVE_SIZE + 8 * 8)
#define TRAPFRAME_RIP   (FXSAVE_SIZE + 17 * 8)
#define TRAPFRAME_SIZE  (FXSAVE_SIZE + 22 * 8)
#define STACK_ALIGNMENT 16 /* the ABI's, and the CPU's for a trap frame */

/* The frame record {interrupted rbp, rip} vectors.S pushes just below the
 * frame before it calls x86_64_trap, with %rbp pointing at it. */
#define TRAPFRAME_RECORD 16 /* bytes */

/* GDT selectors: the boot GDT and the final one share the first three. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_TSS   0x18

/* The exit device QEMU is started with: isa-debug-exit,iobase=0xf4,iosize=4. */
#define DEBUG_EXIT_PORT 0xf4
#define COM1_PORT       0x3f8

#ifdef __ASSEMBLER__
/* clang-format off */
/* From 32-bit protected mode: PAE on, CR3 = cr3 (an operand for movl),
 * EFER.LME on. Long mode starts when the caller sets CR0.PG. Clobbers
 * %eax, %ecx, %edx. */
.macro PREPARE_LONG_MODE cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl \cr3, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
.endm

/* First thing in 64-bit mode, on every CPU: the kernel data segment in
 * %ds, %es and %ss, null %fs and %gs (the GS base is set by MSR after). */
.macro LOAD_KERNEL_SEGMENTS
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
.endm

/* SSE on (CR0.EM off, CR0.MP and CR4.OSFXSR/OSXMMEXCPT on), every CPU,
 * before any compiled code runs. */
.macro ENABLE_SSE
	movq %cr0, %rax
	andq $~CR0_EM, %rax
	orq $CR0_MP, %rax
	movq %rax, %cr0
	movq %cr4, %rax
	orq $(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
	movq %rax, %cr4
.endm
/* clang-format on */
#else
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

struct cpuid {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

/* The time-stamp counter, read after every earlier instruction has
 * completed (lfence), so a reading is never older than a load before it. */
static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}
#endif

#endif
