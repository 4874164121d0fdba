/*
 * PLIC register access; see plic.h. The register layout is the one the
 * RISC-V PLIC specification fixes for every implementation.
 */
#include "drivers/plic.h"

#include "kernel/mmio.h"

enum {
	PRIORITY_BASE = 0x0,     /* one 32-bit word per source */
	ENABLE_BASE = 0x2000,    /* one bit per source ... */
	ENABLE_STRIDE = 0x80,    /* ... in a block per context */
	CONTEXT_BASE = 0x200000, /* threshold and claim/complete ... */
	CONTEXT_STRIDE = 0x1000, /* ... in a block per context */
	CONTEXT_THRESHOLD = 0x0,
	CONTEXT_CLAIM = 0x4, /* read: claim; write: complete */
};

void plic_set_priority(uintptr_t base, unsigned source, uint32_t priority)
{
	mmio_write32(base + PRIORITY_BASE + 4 * source, priority);
}

void plic_enable(uintptr_t base, unsigned context, unsigned source, bool enable)
{
	uintptr_t word = base + ENABLE_BASE + ENABLE_STRIDE * context + 4 * (source / 32);
	uint32_t bit = 1u << (source % 32), v = mmio_read32(word);
	mmio_write32(word, enable ? v | bit : v & ~bit);
}

/* The address of register reg in context's threshold/claim block. */
static uintptr_t context_reg(uintptr_t base, unsigned context, unsigned reg)
{
	return base + CONTEXT_BASE + CONTEXT_STRIDE * context + reg;
}

void plic_set_threshold(uintptr_t base, unsigned context, uint32_t threshold)
{
	mmio_write32(context_reg(base, context, CONTEXT_THRESHOLD), threshold);
}

unsigned plic_claim(uintptr_t base, unsigned context)
{
	return mmio_read32(context_reg(base, context, CONTEXT_CLAIM));
}

void plic_complete(uintptr_t base, unsigned context, unsigned source)
{
	mmio_write32(context_reg(base, context, CONTEXT_CLAIM), source);
}
