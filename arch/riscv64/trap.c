/*
 * riscv64 traps: installing the vector, and the C side of trap entry.
 * vectors.S builds the trap frame, on the exception stack for exceptions
 * and on the interrupted stack for interrupts (kernel/arch.h, Where traps
 * run). Interrupts go straight from vectors.S to riscv64_interrupt
 * (interrupt.c). Exceptions come here: load and store page faults go to
 * trap_page_fault first (tracked writes, stale TLB entries, goroutine
 * stack growth); one it does not resolve, and an instruction page fault,
 * is Go's SIGSEGV (code SEGV_MAPERR: a page fault does not say whether
 * the page was mapped) and goes to trap_signal, which may turn it into a
 * panic (arch_trap_call redirects the frame). Every other exception, or
 * a fault trap_signal refuses, is unexpected and goes to trap_unexpected,
 * named from scause; faults report stval as the faulting address. RISC-V
 * integer division never traps (x / 0 is all ones, x % 0 is x), so there
 * is no SIGFPE here.
 *
 * Backtraces. vectors.S calls C with s0 just above the frame record at
 * the trap frame's top; arch_trap_frame_find maps the return address of
 * such a call (riscv64_trap_returns) and s0 back to the trap frame, so a
 * walk continues at the interrupted sepc, s0 and ra.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/trap.h"

#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15       /* stores and AMOs */
#define SSTATUS_SPIE           (1 << 5) /* interrupts were enabled where the trap came from */
#define FRAME_RECORD_ALIGN     16       /* a frame record's size, and the ABI's stack alignment */

struct trapframe {
	uint64_t x[32]; /* x[0] unused, x[2] the interrupted sp, x[4] (tp) never restored */
	uint64_t sepc, sstatus, scause, stval; /* stval is 0 for an interrupt */
	uint64_t f[32];                        /* the FPU: the handler's C code may use it */
	uint64_t fcsr;
	uint64_t pad; /* keeps the record below 16-byte aligned */
	/* A frame record for backtraces: s0 points just above it while the
	 * handler runs ([s0-16] = interrupted s0, [s0-8] = sepc). */
	uint64_t link_fp, link_pc;
};

_Static_assert(offsetof(struct trapframe, sepc) == 256, "vectors.S FRAME_SEPC");
_Static_assert(offsetof(struct trapframe, sstatus) == 264, "vectors.S FRAME_SSTATUS");
_Static_assert(offsetof(struct trapframe, scause) == 272, "vectors.S FRAME_SCAUSE");
_Static_assert(offsetof(struct trapframe, stval) == 280, "vectors.S FRAME_STVAL");
_Static_assert(offsetof(struct trapframe, f) == 288, "vectors.S FRAME_F");
_Static_assert(offsetof(struct trapframe, fcsr) == 544, "vectors.S FRAME_FCSR");
_Static_assert(offsetof(struct trapframe, link_fp) == 560, "vectors.S FRAME_LINK_FP");
_Static_assert(offsetof(struct trapframe, link_pc) == 568, "vectors.S FRAME_LINK_PC");
_Static_assert(sizeof(struct trapframe) == 576, "vectors.S FRAME_SIZE");
_Static_assert(sizeof(struct trapframe) + ARCH_FRAME_LINK_OFFSET ==
		       offsetof(struct trapframe, link_fp) &&
		   sizeof(struct trapframe) + ARCH_FRAME_RET_OFFSET ==
		       offsetof(struct trapframe, link_pc),
	       "the frame record is where s0 = frame + FRAME_SIZE finds it (archdefs.h)");

_Static_assert(RISCV_TRAP_SCRATCH_WORDS * sizeof(uint64_t) == 64, "vectors.S's scratch slots");

extern char riscv64_trap_entry[];
extern const uintptr_t riscv64_trap_returns[]; /* 0-terminated */

void riscv64_traps_init(struct cpu *c)
{
	__asm__ volatile("csrw sscratch, %0" : : "r"(c->arch.trap_scratch) : "memory");
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

/* Called by riscv64_trap_entry for an exception, with interrupts off, on
 * this CPU's exception stack. */
void riscv64_exception(struct trapframe *tf)
{
	uint64_t code = tf->scause;
	if ((code == CAUSE_LOAD_PAGE_FAULT || code == CAUSE_STORE_PAGE_FAULT) &&
	    trap_page_fault(tf, tf->stval, code == CAUSE_STORE_PAGE_FAULT))
		return; /* resolved: retry the access */
	const char *name = code < 16 ? exception_names[code] : "exception";
	uint64_t addr = code < 16 && (address_faults >> code & 1) ? tf->stval : 0;
	if (code == CAUSE_FETCH_PAGE_FAULT || code == CAUSE_LOAD_PAGE_FAULT ||
	    code == CAUSE_STORE_PAGE_FAULT) {
		struct trap_signal sig = {
		    .sig = TRAP_SIGSEGV,
		    .code = TRAP_SEGV_MAPERR,
		    .addr = addr,
		    .fetch = code == CAUSE_FETCH_PAGE_FAULT,
		};
		trap_signal(tf, &sig, name, code);
		return;
	}
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

uintptr_t arch_trap_sp(const struct trapframe *tf)
{
	return tf->x[2];
}

uintptr_t arch_trap_lr(const struct trapframe *tf)
{
	return tf->x[1];
}

/* Interrupted leaf functions keep a record here (full, or short on
 * riscv64: see arch_trap_lr). */
uintptr_t arch_trap_frameless_ret(const struct trapframe *tf, struct stack_bounds stack)
{
	(void)tf, (void)stack;
	return 0;
}

bool arch_trap_irq_enabled(const struct trapframe *tf)
{
	return (tf->sstatus & SSTATUS_SPIE) != 0;
}

/* Whether fp, the interrupted s0, is a leaf's short record (kernel/
 * backtrace.h): its return-address slot holds a frame pointer above it
 * on stack instead of code. */
static bool short_record(uintptr_t fp, struct stack_bounds stack)
{
	if (fp % sizeof(uintptr_t) != 0 || fp < stack.lo + sizeof(uintptr_t) || fp > stack.hi)
		return false;
	uintptr_t slot = *(const uintptr_t *)(fp + ARCH_FRAME_RET_OFFSET);
	return slot > fp && slot <= stack.hi && slot % sizeof(uintptr_t) == 0;
}

/* ra becomes the return address. A leaf's short record would hide its
 * caller (its return address lives in ra, which this overwrites), so a
 * full record {caller's s0, ra} is built for it just below the
 * interrupted sp and s0 moved there: the walk from fn then shows the leaf
 * and its caller. sp stays 16-byte aligned. A write below sp may fault in
 * the goroutine's next stack page: a nested page fault maps it. */
void arch_trap_call(struct trapframe *tf, uintptr_t fn, bool at_pc, struct stack_bounds stack)
{
	if (at_pc) {
		uintptr_t fp = tf->x[8];
		if (short_record(fp, stack)) {
			uintptr_t sp =
			    (tf->x[2] & ~(uintptr_t)(FRAME_RECORD_ALIGN - 1)) - FRAME_RECORD_ALIGN;
			uintptr_t record = sp + FRAME_RECORD_ALIGN;
			*(uint64_t *)(record + ARCH_FRAME_LINK_OFFSET) =
			    *(const uint64_t *)(fp + ARCH_FRAME_RET_OFFSET);
			*(uint64_t *)(record + ARCH_FRAME_RET_OFFSET) = tf->x[1];
			tf->x[8] = record;
			tf->x[2] = sp;
		}
		tf->x[1] = tf->sepc + 1;
	}
	tf->sepc = fn;
}

const struct trapframe *arch_trap_frame_find(uintptr_t ret, uintptr_t fp, size_t *size)
{
	for (const uintptr_t *r = riscv64_trap_returns; *r != 0; r++) {
		if (ret == *r) {
			*size = sizeof(struct trapframe);
			return (const struct trapframe *)(fp - sizeof(struct trapframe));
		}
	}
	return NULL;
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
