/*
 * x86_64 traps and interrupts: the GDT with a task-state segment per CPU,
 * the IDT shared by all CPUs, and the C side of the entry (vectors.S moves
 * and builds the trap frame).
 *
 * Stacks. Every gate switches to a stack of its CPU's TSS interrupt stack
 * table, so the CPU never pushes on a stack that may fault (kernel/arch.h,
 * "Where traps run"): exceptions to the exception trampoline, interrupts
 * to the interrupt trampoline, from which vectors.S moves the frame to the
 * exception stack or to the interrupted stack; double faults, NMIs and
 * machine checks to an emergency stack where they are reported, so a
 * broken stack pointer is still reported instead of resetting the machine.
 * Each CPU needs its own TSS (loading one marks it busy) and so its own
 * GDT, since the TSS descriptor lives there.
 *
 * Exceptions. A page fault goes to trap_page_fault (tracked writes, stale
 * TLB entries, goroutine stacks growing); one it does not resolve is
 * Go's SIGSEGV (code SEGV_MAPERR for a page not present, SEGV_ACCERR for
 * a protection violation) and a divide error (#DE: division by zero, or
 * the quotient overflowing, both Linux's FPE_INTDIV) Go's SIGFPE, which
 * trap_signal may turn into a panic (arch_trap_call redirects the frame).
 * The other exceptions, and faults trap_signal refuses, are unexpected
 * and go to trap_unexpected.
 *
 * Interrupts are dispatched by vector: the local APIC timer, the kernel
 * IPI, device lines (VECTOR_IRQ_BASE + global system interrupt), and the
 * APIC's spurious vector, which is ignored (and takes no EOI). The handler
 * runs first, then the EOI (a device line's handler has quietened the
 * device by then, so a level-triggered line is not delivered a second
 * time), then kernel_interrupt_return, which may switch contexts: this
 * CPU's other interrupts are not held back while the interrupted code is
 * suspended, and nothing after it depends on the CPU.
 *
 * Backtraces. x86_64_trap runs with %rbp at a frame record vectors.S
 * pushes just below the trap frame; arch_trap_frame_find maps the return
 * address of that call (x86_64_trap_returns) and the record back to the
 * trap frame, so a walk continues at the interrupted rip and rbp, and
 * arch_trap_frameless_ret recognizes an interrupted function that has no
 * record of its own by the call that entered it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/trap.h"

#define VECTOR_DIVIDE_ERROR   0
#define VECTOR_NMI            2
#define VECTOR_DOUBLE_FAULT   8
#define VECTOR_PAGE_FAULT     14
#define VECTOR_MACHINE_CHECK  18
#define PF_ERROR_PRESENT      0x1  /* page-fault error code: a protection violation */
#define PF_ERROR_WRITE        0x2  /* ... the access was a write */
#define PF_ERROR_RESERVED     0x8  /* ... a reserved bit was set in an entry */
#define PF_ERROR_FETCH        0x10 /* ... an instruction fetch */
#define IST_EMERGENCY         1    /* interrupt stack table slots (1-based) */
#define IST_EXCEPTION         2
#define IST_INTERRUPT         3
#define GATE_INTERRUPT        0x8e
#define TSS_AVAILABLE         0x89
#define GDT_ENTRIES           5 /* null, code, data, and the TSS's two slots */
#define EMERGENCY_STACK_SIZE  16384
#define TRAMPOLINE_STACK_SIZE 128 /* vectors.S keeps nine words there */

/* A direct call: opcode E8, then a 32-bit displacement from the next
 * instruction. How far into a frameless function a trap is looked for. */
#define CALL_REL32      0xe8
#define CALL_REL32_SIZE 5
#define FRAMELESS_REACH 16384

/* The layout vectors.S builds; the offsets it uses are in x86.h. */
struct trapframe {
	uint8_t fxsave[FXSAVE_SIZE]; /* x87/SSE state (fxsave64) */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rbx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
} __attribute__((aligned(STACK_ALIGNMENT)));

_Static_assert(offsetof(struct trapframe, rbp) == TRAPFRAME_RBP, "vectors.S: rbp");
_Static_assert(offsetof(struct trapframe, rip) == TRAPFRAME_RIP, "vectors.S: rip");
_Static_assert(sizeof(struct trapframe) == TRAPFRAME_SIZE, "vectors.S: frame size");
_Static_assert(TRAPFRAME_SIZE % STACK_ALIGNMENT == 0, "trap frames keep the stack aligned");

/* Where exception_common (vectors.S) finds this CPU's exception stack,
 * through the GS base. */
const uint32_t x86_64_cpu_exception_stack_top_offset = offsetof(struct cpu, exception_stack_top);
const uint64_t x86_64_exception_stack_size = EXCEPTION_STACK_SIZE;

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
extern const uintptr_t x86_64_trap_returns[]; /* 0-terminated */

/* What the image occupies (linker/x86_64.ld): where return addresses are. */
extern char __image_start[], __image_end[];

/* Written once on the boot CPU before any other CPU runs; read-only after. */
static struct idt_gate idt[256];
static struct cpu_tables tables[MAX_CPUS];
static uint8_t emergency_stacks[MAX_CPUS][EMERGENCY_STACK_SIZE]
    __attribute__((aligned(STACK_ALIGNMENT)));
static uint8_t exception_trampolines[MAX_CPUS][TRAMPOLINE_STACK_SIZE]
    __attribute__((aligned(STACK_ALIGNMENT)));
static uint8_t interrupt_trampolines[MAX_CPUS][TRAMPOLINE_STACK_SIZE]
    __attribute__((aligned(STACK_ALIGNMENT)));

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
	t->tss.ist[IST_EXCEPTION - 1] =
	    (uint64_t)(exception_trampolines[id] + TRAMPOLINE_STACK_SIZE);
	t->tss.ist[IST_INTERRUPT - 1] =
	    (uint64_t)(interrupt_trampolines[id] + TRAMPOLINE_STACK_SIZE);
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
		uint8_t ist = v < NEXCEPTIONS ? IST_EXCEPTION : IST_INTERRUPT;
		if (v == VECTOR_NMI || v == VECTOR_DOUBLE_FAULT || v == VECTOR_MACHINE_CHECK)
			ist = IST_EMERGENCY;
		idt_set(v, x86_64_vector_entries[v], ist);
	}
	x86_64_traps_init_cpu(0);
}

void x86_64_traps_init_cpu(int id)
{
	gdt_load(id);
	idt_load();
}

/* An exception, on the exception stack (or the emergency stack). Returns
 * only when the faulting instruction should be retried. */
static void exception(struct trapframe *tf)
{
	uint64_t v = tf->vector;
	if (v == VECTOR_PAGE_FAULT) {
		uint64_t addr = read_cr2(); /* first: a nested fault would replace it */
		if (tf->error & PF_ERROR_RESERVED)
			trap_unexpected(tf, exception_names[v], v, addr);
		if (trap_page_fault(tf, addr, tf->error & PF_ERROR_WRITE))
			return;
		struct trap_signal sig = {
		    .sig = TRAP_SIGSEGV,
		    .code = tf->error & PF_ERROR_PRESENT ? TRAP_SEGV_ACCERR : TRAP_SEGV_MAPERR,
		    .addr = addr,
		    .fetch = (tf->error & PF_ERROR_FETCH) != 0,
		};
		trap_signal(tf, &sig, exception_names[v], v);
		return;
	}
	if (v == VECTOR_DIVIDE_ERROR) {
		struct trap_signal sig = {
		    .sig = TRAP_SIGFPE, .code = TRAP_FPE_INTDIV, .addr = tf->rip};
		trap_signal(tf, &sig, exception_names[v], v);
		return;
	}
	trap_unexpected(tf, exception_names[v], v, 0);
}

/* An interrupt, on the interrupted stack. */
static void interrupt(struct trapframe *tf)
{
	uint64_t v = tf->vector;
	if (v == VECTOR_TIMER) {
		x86_64_lapic_timer_interrupt();
		x86_64_lapic_eoi();
	} else if (v == VECTOR_IPI) {
		kernel_ipi();
		x86_64_lapic_eoi();
	} else if (v >= VECTOR_IRQ_BASE && v < VECTOR_IRQ_BASE + IRQ_LINES) {
		kernel_irq((unsigned)(v - VECTOR_IRQ_BASE));
		x86_64_lapic_eoi();
	} else if (v != VECTOR_SPURIOUS) {
		trap_unexpected(tf, "unexpected interrupt", v, 0);
	}
	kernel_interrupt_return();
}

/* Called by vectors.S with interrupts off and tf on the stack the trap
 * runs on. May return on another CPU (after kernel_interrupt_return). */
void x86_64_trap(struct trapframe *tf)
{
	if (tf->vector < NEXCEPTIONS)
		exception(tf);
	else
		interrupt(tf);
}

uintptr_t arch_trap_pc(const struct trapframe *tf)
{
	return tf->rip;
}

uintptr_t arch_trap_fp(const struct trapframe *tf)
{
	return tf->rbp;
}

uintptr_t arch_trap_sp(const struct trapframe *tf)
{
	return tf->rsp;
}

uintptr_t arch_trap_lr(const struct trapframe *tf)
{
	(void)tf;
	return 0;
}

/* The word at the interrupted %rsp is the interrupted function's return
 * address, and %rbp still its caller's frame, when that word returns from
 * a direct call (E8 rel32) to a function starting at most
 * FRAMELESS_REACH bytes below the interrupted rip: the function called
 * there holds rip and has not pushed anything. A function that has built
 * its record keeps either that record (rbp == rsp) or its locals at %rsp;
 * one stopped between its push of %rbp and the move to %rbp has a stack
 * address there. A function entered through a tail call or an indirect
 * call is not recognized: the walk then misses its caller. */
uintptr_t arch_trap_frameless_ret(const struct trapframe *tf, struct stack_bounds stack)
{
	uintptr_t sp = tf->rsp;
	if (sp % sizeof(uintptr_t) != 0 || sp < stack.lo || sp >= stack.hi ||
	    stack.hi - sp < sizeof(uintptr_t) || tf->rbp <= sp)
		return 0;
	uintptr_t ret = *(const uintptr_t *)sp;
	if (ret < (uintptr_t)__image_start + CALL_REL32_SIZE || ret > (uintptr_t)__image_end ||
	    (ret >= stack.lo && ret < stack.hi))
		return 0; /* not code: a saved %rbp or a pointer into the stack */
	const uint8_t *call = (const uint8_t *)(ret - CALL_REL32_SIZE);
	int32_t rel;
	memcpy(&rel, call + 1, sizeof rel);
	uintptr_t callee = ret + (uintptr_t)(intptr_t)rel;
	if (call[0] != CALL_REL32 || tf->rip < callee || tf->rip - callee >= FRAMELESS_REACH)
		return 0;
	return ret;
}

bool arch_trap_irq_enabled(const struct trapframe *tf)
{
	return (tf->rflags & X86_RFLAGS_IF) != 0;
}

/* Pushes the return address on the interrupted stack so that fn's entry
 * sees %rsp as after a call from 16-byte aligned code (%rsp + 8 aligned).
 * A function with no record of its own (arch_trap_frameless_ret) first
 * gets the push of %rbp it has not done: just below its return address,
 * the interrupted %rbp, and %rbp pointing there, a frame record like the
 * one its prologue builds. Writes below the interrupted %rsp may fault
 * in the goroutine's next stack page: a nested page fault maps it. */
void arch_trap_call(struct trapframe *tf, uintptr_t fn, bool at_pc, struct stack_bounds stack)
{
	if (at_pc) {
		uintptr_t sp = tf->rsp & ~(uintptr_t)(sizeof(uintptr_t) - 1);
		if (arch_trap_frameless_ret(tf, stack) != 0) {
			sp -= sizeof(uintptr_t);
			*(uint64_t *)sp = tf->rbp;
			tf->rbp = sp;
		}
		sp -= sizeof(uintptr_t);
		if ((sp + sizeof(uintptr_t)) % STACK_ALIGNMENT != 0)
			sp -= sizeof(uintptr_t);
		*(uint64_t *)sp = tf->rip + 1;
		tf->rsp = sp;
	}
	tf->rip = fn;
}

const struct trapframe *arch_trap_frame_find(uintptr_t ret, uintptr_t fp, size_t *size)
{
	for (const uintptr_t *r = x86_64_trap_returns; *r != 0; r++) {
		if (ret == *r) {
			*size = sizeof(struct trapframe);
			return (const struct trapframe *)(fp + TRAPFRAME_RECORD);
		}
	}
	return NULL;
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
