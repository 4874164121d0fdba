/*
 * aarch64 CPUs: the list from the device tree (platform.c), starting the
 * secondaries with PSCI CPU_ON, and the per-CPU set-up every CPU runs on
 * itself.
 *
 * CPU_ON (through hvc or smc, as /psci says) starts the target at
 * aarch64_secondary_entry (entry.S) with the MMU off and x0 = the context
 * id, here the CPU's struct aarch64_secondary_boot. The entry drops to EL1,
 * turns on the MMU with the boot CPU's translation registers, and only then
 * reads the record (stack top, struct cpu), so the record is read through
 * the same cacheable mapping it was written through. aarch64_mmu_regs is
 * read with the MMU off: it was written before the boot CPU turned its
 * caches on, and arch_cpu_start cleans it to the point of coherency again
 * so that no stale line can matter.
 *
 * arch_cpu_init makes TPIDR_EL1 point at the CPU's struct cpu, installs
 * the vectors, disarms the timer (whatever the firmware left) and sets up
 * the GIC CPU interface. The entry code has already set the CPU's stacks:
 * SP_EL0 for its code, SP_EL1 for its exceptions (vectors.S).
 */
#include "arch/aarch64/arch.h"
#include "kernel/arch.h"
#include "kernel/boot.h"

/* Data cache line size for cleaning: the smallest one (CTR_EL0.DminLine,
 * log2 of words). */
#define CTR_DMINLINE_SHIFT 16
#define CTR_DMINLINE_MASK  0xf

/* What an SMC Calling Convention call may change besides x0-x3. */
#define PSCI_CLOBBERS                                                                              \
	"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",       \
	    "x17", "memory"

/* Written by the boot CPU in arch_cpu_start (one record per CPU, never
 * reused), read by that CPU's secondary entry. */
static struct aarch64_secondary_boot secondary_boot[MAX_CPUS];

_Static_assert(__builtin_offsetof(struct aarch64_secondary_boot, stack_top) == 0 &&
		   __builtin_offsetof(struct aarch64_secondary_boot, cpu) == 8,
	       "entry.S loads the record with one ldp");
_Static_assert(__builtin_offsetof(struct cpu, exception_stack_top) == CPU_EXCEPTION_STACK_TOP,
	       "entry.S finds the exception stack at CPU_EXCEPTION_STACK_TOP");
_Static_assert(__builtin_offsetof(struct aarch64_mmu_regs, mair) == 0 &&
		   __builtin_offsetof(struct aarch64_mmu_regs, tcr) == 8 &&
		   __builtin_offsetof(struct aarch64_mmu_regs, ttbr0) == 16,
	       "entry.S loads aarch64_mmu_regs in this order");

int arch_cpu_enumerate(uint64_t *hwids, int max)
{
	int n = aarch64_platform.ncpus < max ? aarch64_platform.ncpus : max;
	for (int i = 0; i < n; i++)
		hwids[i] = aarch64_platform.mpidr[i];
	return n;
}

void arch_cpu_init(struct cpu *c)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(c) : "memory");
	c->arch.mpidr = aarch64_mpidr();
	aarch64_traps_init();
	aarch64_timer_init();
	gic_cpu_init(c);
}

_Noreturn void aarch64_secondary_main(struct cpu *c)
{
	arch_cpu_init(c);
	kernel_secondary_main(c);
}

/* Writes [p, p + len) back to memory (clean to the point of coherency),
 * for a reader whose MMU and caches are off. */
static void clean_to_poc(const void *p, size_t len)
{
	uint64_t ctr;
	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	uintptr_t line = 4UL << ((ctr >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
	uintptr_t a = (uintptr_t)p & ~(line - 1), end = (uintptr_t)p + len;
	for (; a < end; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

/* A PSCI call with up to three arguments, through the conduit the device
 * tree names. The SMC calling convention may clobber x0-x17. */
static int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	if (aarch64_platform.psci_smc)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : PSCI_CLOBBERS);
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : PSCI_CLOBBERS);
	return (int64_t)x0;
}

bool arch_cpu_start(struct cpu *c)
{
	if (!aarch64_platform.psci || c->id <= 0 || c->id >= MAX_CPUS)
		return false;
	struct aarch64_secondary_boot *b = &secondary_boot[c->id];
	b->stack_top = c->stack_top;
	b->cpu = c;
	clean_to_poc(&aarch64_mmu_regs, sizeof aarch64_mmu_regs);
	int64_t r = psci_call(aarch64_platform.psci_cpu_on, c->hwid,
			      (uint64_t)(uintptr_t)aarch64_secondary_entry, (uint64_t)(uintptr_t)b);
	return r == PSCI_SUCCESS;
}
