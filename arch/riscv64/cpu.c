/*
 * riscv64 harts: the list comes from the device tree (platform.c), the
 * boot hart first. A secondary hart waits in the SBI firmware until SBI
 * HSM hart_start sends it to riscv64_secondary_entry (boot/riscv64/
 * entry.S) in S-mode with paging off, a0 = its hart id and a1 = the opaque
 * word, here its struct cpu. The entry turns paging on with the boot
 * hart's satp, takes sp = c->stack_top and tp = c, and calls
 * riscv64_secondary_boot, which runs arch_cpu_init and
 * kernel_secondary_main. (OpenSBI 1.1 may send the hart to the image's
 * entry instead; entry.S detects that and joins the same path.)
 */
#include <stddef.h>

#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "kernel/arch.h"
#include "kernel/boot.h"

_Static_assert(offsetof(struct cpu, hwid) == CPU_HWID_OFFSET,
	       "riscv.h CPU_HWID_OFFSET (used by boot/riscv64/entry.S)");
_Static_assert(offsetof(struct cpu, stack_top) == CPU_STACK_TOP_OFFSET,
	       "riscv.h CPU_STACK_TOP_OFFSET (used by boot/riscv64/entry.S)");
_Static_assert(offsetof(struct cpu, exception_stack_top) == CPU_EXCEPTION_STACK_TOP_OFFSET,
	       "riscv.h CPU_EXCEPTION_STACK_TOP_OFFSET (used by arch/riscv64/vectors.S)");
_Static_assert(EXCEPTION_STACK_SIZE == RISCV_EXCEPTION_STACK_SIZE,
	       "riscv.h RISCV_EXCEPTION_STACK_SIZE (used by arch/riscv64/vectors.S)");

extern char riscv64_secondary_entry[];

/* The CPU arch_cpu_start is starting (the last one asked for), for a hart
 * that OpenSBI 1.1 sends to the image's entry instead of the secondary
 * entry (see boot/riscv64/entry.S). Written by the boot hart only, before
 * hart_start; read by the starting hart with paging off. */
struct cpu *riscv64_cpu_starting;

int arch_cpu_enumerate(uint64_t *hwids, int max)
{
	int n = riscv64_platform.nharts < max ? riscv64_platform.nharts : max;
	for (int i = 0; i < n; i++)
		hwids[i] = riscv64_platform.harts[i].hartid;
	return n;
}

void arch_cpu_init(struct cpu *c)
{
	__asm__ volatile("mv tp, %0" : : "r"(c) : "memory");
	riscv64_traps_init(c);
	const struct riscv64_hart *h = riscv64_hart(c->hwid);
	c->arch.hartid = c->hwid;
	c->arch.sstc = h != NULL && h->sstc;
	c->arch.plic_context = h != NULL ? h->plic_context : -1;
	riscv64_interrupts_init(c);
}

bool arch_cpu_start(struct cpu *c)
{
	if (!riscv64_platform.sbi_hsm)
		return false;
	/* The hart reads *c with paging off: the same physical memory (the
	 * boot map is an identity map), ordered before the start request. */
	riscv64_cpu_starting = c;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct sbiret r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, c->hwid,
				   (uintptr_t)riscv64_secondary_entry, (uintptr_t)c);
	return r.error == 0;
}

/* Called by riscv64_secondary_entry on c->stack_top with paging on and tp
 * = c, interrupts off. */
_Noreturn void riscv64_secondary_boot(struct cpu *c)
{
	arch_cpu_init(c);
	kernel_secondary_main(c);
}
