/*
 * What every arch's trap entry hands to kernel/ when it cannot handle a trap
 * itself. Until interrupts and page-fault-driven stacks exist, every trap is
 * unexpected: it is reported with its name, the faulting address, the
 * registers and a backtrace, then the machine exits with status 2 (Go's
 * status for a fatal error).
 */
#ifndef GORT_KERNEL_TRAP_H
#define GORT_KERNEL_TRAP_H

#include <stdbool.h>
#include <stdint.h>

struct trapframe;

/* Reports an unexpected trap and exits with status 2. name describes the
 * trap ("invalid opcode", "data abort"), vector is the arch's number for it
 * and addr the faulting address where the trap has one (else 0). Runs on
 * whatever stack the trap arrived on, with interrupts off. */
_Noreturn void trap_unexpected(const struct trapframe *tf, const char *name, uint64_t vector,
			       uint64_t addr);

/* Resolves a page fault at addr (write: it was a write) taken by the code
 * that tf describes: a tracked write or a stale TLB entry (kernel/vm.h,
 * vm_fault), or a goroutine's stack growing into its reservation. Returns
 * true when the instruction should be retried, false when the fault is
 * unexpected. A stack overflow is reported here and ends the machine.
 * Called by the arch's exception entry on the exception stack, interrupts
 * off. */
bool trap_page_fault(const struct trapframe *tf, uintptr_t addr, bool write);

#endif
