/*
 * riscv64 traps: installing the vector, and the C side of trap entry
 * (vectors.S builds the trap frame). Interrupts (scause's top bit) go to
 * riscv64_interrupt (interrupt.c) and return to the interrupted code;
 * load and store page faults go to vm_fault first (tracked writes, stale
 * TLB entries); every other exception, or one vm_fault does not resolve,
 * is unexpected and goes to trap_unexpected, named from scause; faults
 * report stval as the faulting address.
 */
#include <stdint.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "kernel/vm.h"

#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15 /* stores and AMOs */

struct trapframe {
	uint64_t x[32]; /* x[0] unused, x[2] is the interrupted sp */
	uint64_t sepc, sstatus, scause, stval;
	uint64_t f[32]; /* the FPU: the handler's C code may use it */
	uint64_t fcsr;
	uint64_t pad; /* keeps sp 16-byte aligned */
};

_Static_assert(sizeof(struct trapframe) == 560, "vectors.S FRAME_SIZE");

extern char riscv64_trap_entry[];

void riscv64_traps_init(void)
{
	__asm__ volatile("csrw stvec, %0" : : "r"(riscv64_trap_entry));
}

static const char *const exception_names[16] = {
    "instruction address misaligned",
    "instruction access fault",
    "illegal instruction",
    "breakpoint",
    "load address misaligned",
    "load access fault",
    "store address misaligned",
    "store access fault",
    "environment call from U-mode",
    "environment call from S-mode",
    "reserved",
    "environment call from M-mode",
    "instruction page fault",
    "load page fault",
    "reserved",
    "store page fault",
};

/* Exception codes whose stval holds the faulting address. */
static const uint16_t address_faults =
    1 << 0 | 1 << 1 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 12 | 1 << 13 | 1 << 15;

/* Called by riscv64_trap_entry with interrupts off, on the interrupted
 * stack. */
void riscv64_trap(struct trapframe *tf)
{
	uint64_t code = tf->scause & ~SCAUSE_INTERRUPT;
	if (tf->scause & SCAUSE_INTERRUPT) {
		riscv64_interrupt(code);
		return;
	}
	if ((code == CAUSE_LOAD_PAGE_FAULT || code == CAUSE_STORE_PAGE_FAULT) &&
	    vm_fault(tf->stval, code == CAUSE_STORE_PAGE_FAULT))
		return; /* a tracked write or a stale TLB entry: retry */
	const char *name = code < 16 ? exception_names[code] : "exception";
	uint64_t addr = code < 16 && (address_faults >> code & 1) ? tf->stval : 0;
	trap_unexpected(tf, name, code, addr);
}

uintptr_t arch_trap_pc(const struct trapframe *tf)
{
	return tf->sepc;
}

uintptr_t arch_trap_fp(const struct trapframe *tf)
{
	return tf->x[8];
}

void arch_trap_print_registers(const struct trapframe *tf)
{
	static const char *const names[32] = {
	    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	for (int i = 1; i < 32; i++)
		console_printf("%-7s 0x%lx\n", names[i], (unsigned long)tf->x[i]);
	console_printf("sepc    0x%lx\nsstatus 0x%lx\nscause  0x%lx\nstval   0x%lx\n",
		       (unsigned long)tf->sepc, (unsigned long)tf->sstatus,
		       (unsigned long)tf->scause, (unsigned long)tf->stval);
}
