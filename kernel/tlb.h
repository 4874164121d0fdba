/*
 * TLB shootdown: after a mapping changes, every CPU must forget the old
 * translation before the change is relied on (the page reused, the fault
 * expected).
 */
#ifndef GORT_KERNEL_TLB_H
#define GORT_KERNEL_TLB_H

#include <stddef.h>
#include <stdint.h>

/* Invalidates [va, va + len) on this CPU and, by IPI, on every other
 * online CPU; returns when all have done it. Call with interrupts on. */
void tlb_shootdown(uintptr_t va, size_t len);

#endif
