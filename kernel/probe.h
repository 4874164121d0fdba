/*
 * Reading memory that may not be mapped, without dying: the trap handler
 * sees this CPU's probing flag and returns to the probe, which reports the
 * fault. Used by tests of unmapping, protection and TLB shootdown, and
 * later by debug.SetPanicOnFault.
 */
#ifndef GORT_KERNEL_PROBE_H
#define GORT_KERNEL_PROBE_H

#include <stdbool.h>
#include <stdint.h>

/* Reads the 64-bit word at addr into *value; false if the read faulted. */
bool probe_read(uintptr_t addr, uint64_t *value);

/* Writes value to the 64-bit word at addr; false if the write faulted
 * (then nothing was written). */
bool probe_write(uintptr_t addr, uint64_t value);

#endif
