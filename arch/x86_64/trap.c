/*
 * x86_64 traps: the final GDT with a task-state segment, the IDT, and the
 * C side of exception entry (vectors.S builds the trap frame).
 *
 * Double faults, NMIs and machine checks switch to their own stack through
 * the TSS's interrupt stack table, so a fault caused by a broken stack
 * pointer is still reported instead of resetting the machine.
 *
 * Every exception is unexpected for now and goes to trap_unexpected.
 */
#include <stdint.h>

#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/trap.h"

#define NEXCEPTIONS 32
#define VECTOR_NMI 2
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_PAGE_FAULT 14
#define VECTOR_MACHINE_CHECK 18
#define IST_EMERGENCY 1
#define GATE_INTERRUPT 0x8e
#define TSS_AVAILABLE 0x89
#define EMERGENCY_STACK_SIZE 16384

struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
};

struct descriptor_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t x86_64_exception_stubs[NEXCEPTIONS];

static struct tss tss;
static uint64_t gdt[5];
static struct idt_gate idt[256];
static uint8_t emergency_stack[EMERGENCY_STACK_SIZE] __attribute__((aligned(16)));

static const char *const exception_names[NEXCEPTIONS] = {
	"divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack-segment fault", "general protection fault", "page fault", "reserved",
	"x87 floating-point exception", "alignment check", "machine check",
	"SIMD floating-point exception", "virtualization exception",
	"control protection exception", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved", "hypervisor injection exception",
	"VMM communication exception", "security exception", "reserved",
};

static void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
	tss.ist[IST_EMERGENCY - 1] = (uint64_t)(emergency_stack + EMERGENCY_STACK_SIZE);
	tss.iomap_base = sizeof tss;
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffff; /* SEL_KCODE, as in the boot GDT */
	gdt[2] = 0x00cf92000000ffff; /* SEL_KDATA */
	gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)TSS_AVAILABLE << 40 |
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[4] = base >> 32;
	struct descriptor_ptr p = {sizeof gdt - 1, (uint64_t)gdt};
	__asm__ volatile("lgdt %0" : : "m"(p));
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS));
}

static void idt_set(int vector, uint64_t handler, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = SEL_KCODE,
		.ist = ist,
		.type = GATE_INTERRUPT,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void x86_64_traps_init(void)
{
	gdt_init();
	for (int v = 0; v < NEXCEPTIONS; v++) {
		bool emergency = v == VECTOR_NMI || v == VECTOR_DOUBLE_FAULT ||
				 v == VECTOR_MACHINE_CHECK;
		idt_set(v, x86_64_exception_stubs[v], emergency ? IST_EMERGENCY : 0);
	}
	struct descriptor_ptr p = {sizeof idt - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(p));
}

/* Called by trap_common with interrupts off, on the interrupted stack (or
 * the emergency stack). */
void x86_64_trap(struct trapframe *tf)
{
	uint64_t addr = tf->vector == VECTOR_PAGE_FAULT ? read_cr2() : 0;
	const char *name = tf->vector < NEXCEPTIONS ? exception_names[tf->vector] : "interrupt";
	trap_unexpected(tf, name, tf->vector, addr);
}

uintptr_t arch_trap_pc(const struct trapframe *tf)
{
	return tf->rip;
}

uintptr_t arch_trap_fp(const struct trapframe *tf)
{
	return tf->rbp;
}

void arch_trap_print_registers(const struct trapframe *tf)
{
	const struct {
		const char *name;
		uint64_t value;
	} regs[] = {
		{"rax", tf->rax},	{"rbx", tf->rbx}, {"rcx", tf->rcx}, {"rdx", tf->rdx},
		{"rdi", tf->rdi},	{"rsi", tf->rsi}, {"rbp", tf->rbp}, {"rsp", tf->rsp},
		{"r8", tf->r8},		{"r9", tf->r9},	  {"r10", tf->r10}, {"r11", tf->r11},
		{"r12", tf->r12},	{"r13", tf->r13}, {"r14", tf->r14}, {"r15", tf->r15},
		{"rip", tf->rip},	{"rflags", tf->rflags}, {"cs", tf->cs}, {"ss", tf->ss},
		{"error", tf->error},
	};
	for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++)
		console_printf("%-6s 0x%lx\n", regs[i].name, (unsigned long)regs[i].value);
}
