/*
 * Running a function on other CPUs through the kernel's IPI, the base of
 * TLB shootdowns and of every cross-CPU request before the scheduler.
 *
 * A call is pushed onto the target's lock-free list (cpu->calls) and the
 * target is sent an IPI; it runs the function in interrupt context and
 * marks the call done. The caller waits for done; while it waits it serves
 * calls aimed at itself, so two CPUs calling each other cannot deadlock.
 */
#ifndef GORT_KERNEL_SMP_H
#define GORT_KERNEL_SMP_H

#include "kernel/cpu.h"

/* Runs fn(arg) on CPU target (in interrupt context there; directly, with
 * interrupts off, when target is this CPU) and waits until it returned.
 * Interrupts stay off on the calling CPU throughout (it serves calls
 * aimed at itself while it waits), so the caller cannot move to another
 * CPU in between. */
void smp_call(struct cpu *target, void (*fn)(void *arg), void *arg);

/* Runs fn(arg) on every other online CPU, at the same time, and waits until
 * all returned. */
void smp_call_others(void (*fn)(void *arg), void *arg);

/* Queues fn(arg) for CPU target and sends it the IPI, without waiting:
 * for a call that never returns (freezing a CPU). At most once per target
 * for the life of the machine (the record is the target's own). */
void smp_post_once(struct cpu *target, void (*fn)(void *arg), void *arg);

/* Runs the calls other CPUs have queued for this one, as its IPI would.
 * Interrupts off. For code that spins with interrupts off on something
 * another CPU may hold while it waits for this one (kernel/vm.c's lock). */
void smp_serve_calls(void);

#endif
