/*
 * x86_64 traps and interrupts: the GDT with a task-state segment per CPU,
 * the IDT shared by all CPUs, and the C side of the entry (vectors.S builds
 * the trap frame).
 *
 * Double faults, NMIs and machine checks switch to their CPU's own
 * emergency stack through the TSS's interrupt stack table, so a fault
 * caused by a broken stack pointer is still reported instead of resetting
 * the machine. Each CPU needs its own TSS (loading one marks it busy) and
 * so its own GDT, since the TSS descriptor lives there.
 *
 * A page fault goes to vm_fault first (tracked writes, stale TLB entries);
 * the other exceptions, and page faults it does not resolve, are
 * unexpected and go to trap_unexpected. Interrupts are dispatched by
 * vector: the local APIC timer, the kernel IPI, device lines
 * (VECTOR_IRQ_BASE + global system interrupt), and the APIC's spurious
 * vector, which is ignored. The timer and the IPI are
 * acknowledged (EOI) before their handler runs, so a handler that switches
 * away does not hold back this CPU's other interrupts; a device line is
 * acknowledged after its handler has quietened the device, so a
 * level-triggered line is not delivered a second time.
 */
#include <stdint.h>

#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/trap.h"
#include "kernel/vm.h"

#define VECTOR_NMI           2
#define VECTOR_DOUBLE_FAULT  8
#define VECTOR_PAGE_FAULT    14
#define VECTOR_MACHINE_CHECK 18
#define PF_ERROR_WRITE       0x2 /* page-fault error code: the access was a write */
#define PF_ERROR_RESERVED    0x8 /* ... a reserved bit was set in an entry */
#define IST_EMERGENCY        1
#define GATE_INTERRUPT       0x8e
#define TSS_AVAILABLE        0x89
#define GDT_ENTRIES          5 /* null, code, data, and the TSS's two slots */
#define EMERGENCY_STACK_SIZE 16384

struct trapframe {
	uint8_t fxsave[512]; /* x87/SSE state (fxsave64) */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
} __attribute__((aligned(16)));

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

/* One per CPU, indexed by cpu.id; written only by that CPU. */
struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
};

extern const uint64_t x86_64_vector_entries[256];

/* Written once on the boot CPU before any other CPU runs; read-only after. */
static struct idt_gate idt[256];
static struct cpu_tables tables[MAX_CPUS];
static uint8_t emergency_stacks[MAX_CPUS][EMERGENCY_STACK_SIZE] __attribute__((aligned(16)));

static const char *const exception_names[NEXCEPTIONS] = {
    "divide error",
    "debug",
    "non-maskable interrupt",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor segment overrun",
    "invalid TSS",
    "segment not present",
    "stack-segment fault",
    "general protection fault",
    "page fault",
    "reserved",
    "x87 floating-point exception",
    "alignment check",
    "machine check",
    "SIMD floating-point exception",
    "virtualization exception",
    "control protection exception",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection exception",
    "VMM communication exception",
    "security exception",
    "reserved",
};

/* Loads CPU id's GDT and TSS, building them first. The TSS descriptor is
 * written "available" each time, so loading it again on the same CPU is
 * allowed (ltr refuses a busy one). */
static void gdt_load(int id)
{
	struct cpu_tables *t = &tables[id];
	uint64_t base = (uint64_t)&t->tss, limit = sizeof t->tss - 1;
	t->tss.ist[IST_EMERGENCY - 1] = (uint64_t)(emergency_stacks[id] + EMERGENCY_STACK_SIZE);
	t->tss.iomap_base = sizeof t->tss;
	t->gdt[0] = 0;
	t->gdt[1] = 0x00af9a000000ffff; /* SEL_KCODE, as in the boot GDT */
	t->gdt[2] = 0x00cf92000000ffff; /* SEL_KDATA */
	t->gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)TSS_AVAILABLE << 40 |
		    ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	t->gdt[4] = base >> 32;
	struct descriptor_ptr p = {sizeof t->gdt - 1, (uint64_t)t->gdt};
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

static void idt_load(void)
{
	struct descriptor_ptr p = {sizeof idt - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(p));
}

void x86_64_traps_init(void)
{
	for (int v = 0; v < 256; v++) {
		bool emergency =
		    v == VECTOR_NMI || v == VECTOR_DOUBLE_FAULT || v == VECTOR_MACHINE_CHECK;
		idt_set(v, x86_64_vector_entries[v], emergency ? IST_EMERGENCY : 0);
	}
	x86_64_traps_init_cpu(0);
}

void x86_64_traps_init_cpu(int id)
{
	gdt_load(id);
	idt_load();
}

/* Called by trap_common with interrupts off, on the interrupted stack (or
 * the emergency stack); the interrupt vectors run in interrupt context. */
void x86_64_trap(struct trapframe *tf)
{
	uint64_t v = tf->vector;
	if (v == VECTOR_TIMER) {
		x86_64_lapic_eoi();
		x86_64_lapic_timer_interrupt();
	} else if (v == VECTOR_IPI) {
		x86_64_lapic_eoi();
		kernel_ipi();
	} else if (v >= VECTOR_IRQ_BASE && v < VECTOR_IRQ_BASE + IRQ_LINES) {
		kernel_irq((unsigned)(v - VECTOR_IRQ_BASE));
		x86_64_lapic_eoi();
	} else if (v == VECTOR_PAGE_FAULT && !(tf->error & PF_ERROR_RESERVED) &&
		   vm_fault(read_cr2(), tf->error & PF_ERROR_WRITE)) {
		return; /* a tracked write or a stale TLB entry: retry */
	} else if (v != VECTOR_SPURIOUS) {
		uint64_t addr = v == VECTOR_PAGE_FAULT ? read_cr2() : 0;
		const char *name = v < NEXCEPTIONS ? exception_names[v] : "unexpected interrupt";
		trap_unexpected(tf, name, v, addr);
	}
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
	    {"rax", tf->rax},     {"rbx", tf->rbx},       {"rcx", tf->rcx}, {"rdx", tf->rdx},
	    {"rdi", tf->rdi},     {"rsi", tf->rsi},       {"rbp", tf->rbp}, {"rsp", tf->rsp},
	    {"r8", tf->r8},       {"r9", tf->r9},         {"r10", tf->r10}, {"r11", tf->r11},
	    {"r12", tf->r12},     {"r13", tf->r13},       {"r14", tf->r14}, {"r15", tf->r15},
	    {"rip", tf->rip},     {"rflags", tf->rflags}, {"cs", tf->cs},   {"ss", tf->ss},
	    {"error", tf->error},
	};
	for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++)
		console_printf("%-6s 0x%lx\n", regs[i].name, (unsigned long)regs[i].value);
}
