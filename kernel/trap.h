/*
 * What every arch's trap entry hands to kernel/ when it cannot handle a trap
 * itself. A page fault may be resolved (trap_page_fault). A fault that a
 * goroutine's own code took (a nil or wild access, an integer division by
 * zero where the CPU traps) goes to trap_signal, which lets the runtime
 * turn it into a Go panic at the faulting instruction, as Go's signal
 * handler does (runtime/sigpanic.c). Every other trap, and a fault the
 * runtime refuses, is unexpected: it is reported with its name, the
 * faulting address, the registers and a backtrace, then the machine exits
 * with status 2 (Go's status for a fatal error).
 */
#ifndef GORT_KERNEL_TRAP_H
#define GORT_KERNEL_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/backtrace.h"

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

/* Go's (Linux's) numbers for the signals and codes a fault maps to, as
 * Go's "[signal ...]" line prints them. */
#define TRAP_SIGFPE      8
#define TRAP_SIGSEGV     11
#define TRAP_SEGV_MAPERR 1 /* nothing is mapped at the address */
#define TRAP_SEGV_ACCERR 2 /* mapped, but the access is not allowed */
#define TRAP_FPE_INTDIV  1 /* integer divide by zero */

/* A fault described as the signal Go would get for it. */
struct trap_signal {
	int sig;        /* TRAP_SIGSEGV or TRAP_SIGFPE */
	int code;       /* TRAP_SEGV_* or TRAP_FPE_* */
	uintptr_t addr; /* the faulting address; for SIGFPE the instruction's, as
			 * Linux's si_addr */
	bool fetch;     /* the instruction fetch itself faulted: the pc is not
			 * code (a call through a nil or wild function pointer) */
};

/* A fault (sig) that the code tf describes took, and did not resolve as a
 * page fault: if the runtime accepts it (runtime_fault), returns with tf
 * redirected into the runtime's panic, and the exception should return;
 * otherwise it is unexpected (trap_unexpected with name, vector and
 * sig->addr) and does not return. A CPU that is probing memory
 * (kernel/probe.h) goes back to its probe as for any fault. Exception
 * stack, interrupts off. */
void trap_signal(struct trapframe *tf, const struct trap_signal *sig, const char *name,
		 uint64_t vector);

/* The runtime's side of trap_signal (runtime/sigpanic.c): true if the
 * fault was taken by a goroutine's code where a panic can run, in which
 * case the signal is recorded in the goroutine and tf redirected
 * (arch_trap_call) into the runtime's sigpanic. */
bool runtime_fault(struct trapframe *tf, const struct trap_signal *sig);

/* ---- What each arch provides for faults (arch/<arch>/trap.c) ---------- */

/* Whether the code tf interrupted ran with interrupts enabled. */
bool arch_trap_irq_enabled(const struct trapframe *tf);

/* Makes the return from the exception described by tf call fn() on the
 * interrupted stack, as if the interrupted instruction had called it:
 * with at_pc, the return address fn sees (pushed on x86_64, the link
 * register on aarch64 and riscv64) lies inside the interrupted
 * instruction (pc + 1, so that a walk, which looks a return address up
 * at ret - 1, names that very instruction), and where the interrupted
 * function has no frame record of its own (arch_trap_frameless_ret on
 * x86_64, a leaf's short record on riscv64) one is built for it on the
 * stack, so a frame-pointer walk from fn shows the interrupted function
 * and then its caller. Without at_pc (the pc is not code: a call went
 * astray), fn takes the interrupted function's place: its return address
 * is the one the stray call left. The stack stays aligned as at a call.
 * stack bounds the interrupted stack, which fn's frames grow down into. */
void arch_trap_call(struct trapframe *tf, uintptr_t fn, bool at_pc, struct stack_bounds stack);

#endif
