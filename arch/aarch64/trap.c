/*
 * aarch64 exceptions: installing the vectors, and the C side of exception
 * entry (vectors.S builds the trap frame). An IRQ from the current EL goes
 * to the interrupt dispatch (irq.c) and returns to the interrupted code; a
 * data abort from a translation, access-flag or permission fault goes to
 * vm_fault first (tracked writes, stale TLB entries); every other
 * exception, or one vm_fault does not resolve, is unexpected and goes to
 * trap_unexpected, named from ESR_EL1's exception class; aborts report
 * FAR_EL1 as the faulting address.
 */
#include <stdint.h>

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/arch.h"
#include "kernel/arch.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "kernel/vm.h"

struct trapframe {
	uint64_t x[31]; /* x0-x30 */
	uint64_t sp;    /* the interrupted stack pointer */
	uint64_t elr, spsr, esr, far;
	__uint128_t q[32]; /* FP/SIMD registers, at offset 288 */
	uint64_t fpsr, fpcr;
};

_Static_assert(sizeof(struct trapframe) == 816, "vectors.S FRAME_SIZE");
_Static_assert(__builtin_offsetof(struct trapframe, q) == 288, "vectors.S FP_OFFSET");

extern char aarch64_vectors[];

void aarch64_traps_init(void)
{
	__asm__ volatile("msr vbar_el1, %0\nisb" : : "r"(aarch64_vectors));
}

static const char *const vector_kinds[4] = {"synchronous exception", "IRQ", "FIQ", "SError"};

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
 * resolve: a translation, access-flag or permission fault. */
static bool vm_fault_kind(uint64_t esr)
{
	unsigned kind = (unsigned)esr & ESR_DFSC_KIND_MASK;
	return kind == DFSC_TRANSLATION || kind == DFSC_ACCESS_FLAG || kind == DFSC_PERMISSION;
}

/* Called by trap_common with interrupts masked, on the interrupted stack.
 * index is the vector entry (0-15). */
void aarch64_trap(struct trapframe *tf, uint64_t index)
{
	if (index == VECTOR_IRQ_SPX || index == VECTOR_IRQ_SP0) {
		aarch64_irq();
		return;
	}
	unsigned ec = (unsigned)(tf->esr >> ESR_EC_SHIFT) & 0x3f;
	if (index % 4 == 0 && ec == ESR_EC_DABT_CUR && vm_fault_kind(tf->esr) &&
	    vm_fault(tf->far, tf->esr & ESR_ISS_WNR))
		return; /* a tracked write or a stale TLB entry: retry */
	const char *name = vector_kinds[index % 4];
	if (index % 4 == 0 && exception_class_name(ec) != NULL)
		name = exception_class_name(ec);
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

void arch_trap_print_registers(const struct trapframe *tf)
{
	for (int i = 0; i < 31; i++)
		console_printf("x%-5d 0x%lx\n", i, (unsigned long)tf->x[i]);
	console_printf("sp     0x%lx\npc     0x%lx\nspsr   0x%lx\nesr    0x%lx\nfar    0x%lx\n",
		       (unsigned long)tf->sp, (unsigned long)tf->elr, (unsigned long)tf->spsr,
		       (unsigned long)tf->esr, (unsigned long)tf->far);
}
