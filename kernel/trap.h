/*
 * What every arch's trap entry hands to kernel/ when it cannot handle a trap
 * itself. Until interrupts and page-fault-driven stacks exist, every trap is
 * unexpected: it is reported with its name, the faulting address, the
 * registers and a backtrace, then the machine exits with status 2 (Go's
 * status for a fatal error).
 */
#ifndef GORT_KERNEL_TRAP_H
#define GORT_KERNEL_TRAP_H

#include <stdint.h>

struct trapframe;

/* Reports an unexpected trap and exits with status 2. name describes the
 * trap ("invalid opcode", "data abort"), vector is the arch's number for it
 * and addr the faulting address where the trap has one (else 0). Runs on
 * whatever stack the trap arrived on, with interrupts off. */
_Noreturn void trap_unexpected(const struct trapframe *tf, const char *name, uint64_t vector,
			       uint64_t addr);

#endif
