/*
 * Frame-pointer walks; see backtrace.h for the frame layout and the rules
 * that keep a walk over a corrupt stack safe.
 */
#include "kernel/backtrace.h"

#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/boot_stack.h"
#include "kernel/console.h"
#include "kernel/cpu.h"

struct stack_bounds stack_bounds_of(uintptr_t addr)
{
	const struct cpu *c = this_cpu();
	uintptr_t size = c->id == 0 ? BOOT_STACK_SIZE : CPU_STACK_SIZE;
	struct stack_bounds own = {c->stack_top - size, c->stack_top};
	struct stack_bounds exc = {c->exception_stack_top - EXCEPTION_STACK_SIZE,
				   c->exception_stack_top};
	struct stack_bounds g;
	if (addr >= own.lo && addr < own.hi)
		return own;
	if (addr >= exc.lo && addr < exc.hi)
		return exc;
	if (runtime_stack_bounds(addr, &g.lo, &g.hi))
		return g;
	return (struct stack_bounds){0, 0};
}

static int frame_ok(uintptr_t fp, struct stack_bounds stack)
{
	intptr_t lowest = ARCH_FRAME_LINK_OFFSET < ARCH_FRAME_RET_OFFSET ? ARCH_FRAME_LINK_OFFSET
									 : ARCH_FRAME_RET_OFFSET;
	intptr_t highest = ARCH_FRAME_LINK_OFFSET > ARCH_FRAME_RET_OFFSET ? ARCH_FRAME_LINK_OFFSET
									  : ARCH_FRAME_RET_OFFSET;
	if (fp == 0 || fp % sizeof(uintptr_t) != 0)
		return 0;
	return fp + lowest >= stack.lo && fp + highest + sizeof(uintptr_t) <= stack.hi;
}

int backtrace_collect(uintptr_t pc, uintptr_t fp, struct stack_bounds stack, uintptr_t *pcs,
		      int max)
{
	int n = 0;
	if (n < max)
		pcs[n++] = pc;
	while (n < max && frame_ok(fp, stack)) {
		uintptr_t ret = *(const uintptr_t *)(fp + ARCH_FRAME_RET_OFFSET);
		uintptr_t next = *(const uintptr_t *)(fp + ARCH_FRAME_LINK_OFFSET);
		if (ret == 0)
			break;
		pcs[n++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

void backtrace_print(uintptr_t pc, uintptr_t fp, struct stack_bounds stack)
{
	uintptr_t pcs[BACKTRACE_MAX_FRAMES];
	int n = backtrace_collect(pc, fp, stack, pcs, BACKTRACE_MAX_FRAMES);
	for (int i = 0; i < n; i++)
		console_printf("  #%d pc=0x%016lx\n", i, (unsigned long)pcs[i]);
}
