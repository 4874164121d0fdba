/*
 * Freezing the world for a fatal report (Go's freezetheworld): every other
 * CPU is stopped where it is, so the goroutines it was running can be
 * walked and nothing else reaches the console.
 *
 * The reporting CPU posts a call to every other online CPU (smp_post_once)
 * and sends it the IPI; the call runs in the target's IPI handler, notes
 * where it stands (its own pc and frame pointer: a walk from there crosses
 * the trap frame into the interrupted code), marks the CPU frozen and halts
 * with interrupts off for good. A CPU that has interrupts off (spinning on
 * a lock, or reporting too) cannot take the IPI: the reporter waits up to
 * FREEZE_WAIT_NS for each and goes on without it. Spinlocks are taken with
 * interrupts off, so a frozen CPU never holds one.
 */
#ifndef GORT_KERNEL_FREEZE_H
#define GORT_KERNEL_FREEZE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cpu.h"

#define FREEZE_WAIT_NS (20 * 1000 * 1000)

/* Freezes every other online CPU; returns how many stopped in time.
 * Interrupts off; at most once (later calls return 0). */
int freeze_others(void);

/* Whether CPU c is frozen, and where it stopped: *pc and *fp start a walk
 * through its interrupt frame into the code it interrupted. */
bool cpu_frozen(const struct cpu *c, uintptr_t *pc, uintptr_t *fp);

#endif
