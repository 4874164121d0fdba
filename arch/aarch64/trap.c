/*
 * aarch64 exceptions: installing the vectors, and the C side of exception
 * entry (vectors.S builds the trap frame and says on which stack).
 * aarch64_trap runs on this CPU's exception stack for every vector but an
 * IRQ from normal code (irq_entry calls aarch64_irq itself). A data abort
 * from a translation, access-flag or permission fault at EL1 goes to
 * trap_page_fault (tracked writes, stale TLB entries, goroutine stack
 * growth); every other exception, or a fault trap_page_fault does not
 * resolve, is unexpected: on a CPU that is probing memory (kernel/probe.c)
 * it resumes the probe, otherwise it goes to trap_unexpected, named from
 * ESR_EL1's exception class; aborts report FAR_EL1 as the faulting address.
 * Except: an unresolved translation, access-flag or permission fault of a
 * data or instruction abort is Go's SIGSEGV (SEGV_MAPERR for a
 * translation fault, SEGV_ACCERR for the others, as Linux sends them) and
 * goes to trap_signal, which may turn it into a panic (arch_trap_call
 * redirects the frame). AArch64's integer division never traps (x / 0 is
 * 0), so there is no SIGFPE here.
 *
 * The probe resumes by returning from the exception into
 * longjmp(cpu->probe_env, 1) on the stack and in the stack mode of the
 * code that faulted: a longjmp from here would leave that code running on
 * SP_EL1 in place of the exception stack.
 *
 * Backtraces. vectors.S calls C with x29 at the frame record inside the
 * trap frame; arch_trap_frame_find maps the return address of such a call
 * (aarch64_trap_returns) and the record back to the trap frame, so a walk
 * continues at the interrupted ELR, x29 and x30.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/arch.h"
#include "kernel/arch.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/trap.h"

struct trapframe {
	uint64_t x[31];               /* x0-x30 */
	uint64_t sp;                  /* the interrupted stack pointer */
	uint64_t elr, spsr, esr, far; /* esr and far are 0 for an IRQ */
	uint64_t fpsr, fpcr;
	uint64_t record[2]; /* a frame record {x29, elr}; x29 points here in the handler */
	__uint128_t q[32];  /* FP/SIMD registers */
};

_Static_assert(sizeof(struct trapframe) == 832, "vectors.S FRAME_SIZE");
_Static_assert(__builtin_offsetof(struct trapframe, sp) == 248, "vectors.S FRAME_X30_SP");
_Static_assert(__builtin_offsetof(struct trapframe, elr) == 256, "vectors.S FRAME_ELR");
_Static_assert(__builtin_offsetof(struct trapframe, esr) == 272, "vectors.S FRAME_ESR");
_Static_assert(__builtin_offsetof(struct trapframe, fpsr) == 288, "vectors.S FRAME_FPSR");
_Static_assert(__builtin_offsetof(struct trapframe, record) == 304, "vectors.S FRAME_RECORD");
_Static_assert(__builtin_offsetof(struct trapframe, q) == 320, "vectors.S FRAME_Q");

extern char aarch64_vectors[];
extern const uintptr_t aarch64_trap_returns[]; /* 0-terminated */

void aarch64_traps_init(void)
{
	__asm__ volatile("msr vbar_el1, %0\nisb" : : "r"(aarch64_vectors));
}

static const char *const vector_kinds[VECTOR_KINDS] = {"synchronous exception", "IRQ", "FIQ",
						       "SError"};

static const char *exception_class_name(unsigned ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN:
		return "undefined instruction";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:
		return "instruction abort";
	case ESR_EC_PC_ALIGN:
		return "PC alignment fault";
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:
		return "data abort";
	case ESR_EC_SP_ALIGN:
		return "SP alignment fault";
	default:
		return NULL;
	}
}

static bool has_fault_address(unsigned ec)
{
	return ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR || ec == ESR_EC_DABT_LOW ||
	       ec == ESR_EC_DABT_CUR || ec == ESR_EC_PC_ALIGN;
}

/* Whether a data abort's status code (ESR_EL1.DFSC) is one vm_fault may
 * resolve: a translation, access-flag or permission fault. An instruction
 * abort's IFSC uses the same codes. */
static bool vm_fault_kind(uint64_t esr)
{
	unsigned kind = (unsigned)esr & ESR_DFSC_KIND_MASK;
	return kind == DFSC_TRANSLATION || kind == DFSC_ACCESS_FLAG || kind == DFSC_PERMISSION;
}

/* Makes the exception described by tf return into longjmp(c->probe_env,
 * 1): the probe's fault ends there (kernel/cpu.h, Fault probing). */
static void resume_probe(struct trapframe *tf, struct cpu *c)
{
	tf->x[0] = (uintptr_t)c->probe_env;
	tf->x[1] = 1;
	tf->elr = (uintptr_t)longjmp;
}

/* Called by vectors.S on the exception stack, interrupts masked. index is
 * the vector entry (0-15). */
void aarch64_trap(struct trapframe *tf, uint64_t index)
{
	unsigned ec = (unsigned)(tf->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	bool sync = index % VECTOR_KINDS == VECTOR_SYNC;
	if (sync && ec == ESR_EC_DABT_CUR && vm_fault_kind(tf->esr) &&
	    trap_page_fault(tf, tf->far, tf->esr & ESR_ISS_WNR))
		return; /* mapped now, or a stale TLB entry: retry */
	struct cpu *c = this_cpu();
	if (c->probing) {
		resume_probe(tf, c);
		return;
	}
	const char *name = vector_kinds[index % VECTOR_KINDS];
	if (sync && exception_class_name(ec) != NULL)
		name = exception_class_name(ec);
	if (sync && (ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR) && vm_fault_kind(tf->esr)) {
		bool translation = ((unsigned)tf->esr & ESR_DFSC_KIND_MASK) == DFSC_TRANSLATION;
		struct trap_signal sig = {
		    .sig = TRAP_SIGSEGV,
		    .code = translation ? TRAP_SEGV_MAPERR : TRAP_SEGV_ACCERR,
		    .addr = tf->far,
		    .fetch = ec == ESR_EC_IABT_CUR,
		};
		trap_signal(tf, &sig, name, index);
		return;
	}
	trap_unexpected(tf, name, index, has_fault_address(ec) ? tf->far : 0);
}

uintptr_t arch_trap_pc(const struct trapframe *tf)
{
	return tf->elr;
}

uintptr_t arch_trap_fp(const struct trapframe *tf)
{
	return tf->x[29];
}

uintptr_t arch_trap_sp(const struct trapframe *tf)
{
	return tf->sp;
}

uintptr_t arch_trap_lr(const struct trapframe *tf)
{
	return tf->x[30];
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
	return (tf->spsr & AARCH64_DAIF_I) == 0;
}

/* Leaf functions keep a full frame record here (-mno-omit-leaf-frame-
 * pointer), so the interrupted x29 is the interrupted function's record
 * and nothing needs building; the stack is untouched, as aligned as it
 * always is. */
void arch_trap_call(struct trapframe *tf, uintptr_t fn, bool at_pc, struct stack_bounds stack)
{
	(void)stack;
	if (at_pc)
		tf->x[30] = tf->elr + 1;
	tf->elr = fn;
}

const struct trapframe *arch_trap_frame_find(uintptr_t ret, uintptr_t fp, size_t *size)
{
	for (const uintptr_t *r = aarch64_trap_returns; *r != 0; r++) {
		if (ret == *r) {
			*size = sizeof(struct trapframe);
			return (const struct trapframe *)(fp - offsetof(struct trapframe, record));
		}
	}
	return NULL;
}

void arch_trap_print_registers(const struct trapframe *tf)
{
	for (int i = 0; i < 31; i++)
		console_printf("x%-5d 0x%lx\n", i, (unsigned long)tf->x[i]);
	console_printf("sp     0x%lx\npc     0x%lx\nspsr   0x%lx\nesr    0x%lx\nfar    0x%lx\n",
		       (unsigned long)tf->sp, (unsigned long)tf->elr, (unsigned long)tf->spsr,
		       (unsigned long)tf->esr, (unsigned long)tf->far);
}
