/*
 * tlb_shootdown: a local flush plus an smp_call_others of the same flush.
 */
#include "kernel/tlb.h"

#include "kernel/arch.h"
#include "kernel/smp.h"

struct range {
	uintptr_t va;
	size_t len;
};

static void flush(void *arg)
{
	const struct range *r = arg;
	arch_tlb_flush_local(r->va, r->len);
}

void tlb_shootdown(uintptr_t va, size_t len)
{
	struct range r = {va, len};
	unsigned long flags = arch_irq_save();
	arch_tlb_flush_local(va, len);
	arch_irq_restore(flags);
	smp_call_others(flush, &r);
}
