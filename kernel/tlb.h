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
 * online CPU (len == ARCH_TLB_ALL: everything, cached table entries
 * included); returns when all have done it. Interrupts may be off (the
 * address space shoots down under its lock): while it waits it runs the
 * calls other CPUs aim at this one. */
void tlb_shootdown(uintptr_t va, size_t len);

#endif
