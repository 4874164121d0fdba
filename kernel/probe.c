/*
 * probe_read and probe_write; see probe.h. The probe runs with interrupts
 * off so that the only trap possible between setting and clearing the
 * flag is the access's own fault; trap_unexpected longjmps back here on
 * this CPU's stack.
 */
#include "kernel/probe.h"

#include "kernel/cpu.h"

/* The probe: one access of addr, reading into *value (write clear) or
 * writing *value (write set). */
static bool probe(uintptr_t addr, uint64_t *value, bool write)
{
	struct cpu *c = this_cpu();
	unsigned long flags = arch_irq_save();
	if (setjmp(c->probe_env) != 0) {
		c->probing = false;
		arch_irq_restore(flags);
		return false;
	}
	/* The compiler must neither drop the store of true (a plain store
	 * followed by the store of false looks dead) nor move the access
	 * outside the flagged window: the fences pin the order on this CPU,
	 * which is all a fault on this CPU needs. */
	__atomic_store_n(&c->probing, true, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (write)
		*(volatile uint64_t *)addr = *value;
	else
		*value = *(volatile uint64_t *)addr;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&c->probing, false, __ATOMIC_RELAXED);
	arch_irq_restore(flags);
	return true;
}

bool probe_read(uintptr_t addr, uint64_t *value)
{
	return probe(addr, value, false);
}

bool probe_write(uintptr_t addr, uint64_t value)
{
	return probe(addr, &value, true);
}
