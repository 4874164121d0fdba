/*
 * What the aarch64 boot code calls in the aarch64 arch layer.
 */
#ifndef GORT_ARCH_AARCH64_ARCH_H
#define GORT_ARCH_AARCH64_ARCH_H

/* The PL011 console, polled. */
void aarch64_console_init(void);

/* Installs the EL1 exception vectors (VBAR_EL1). */
void aarch64_traps_init(void);

#endif
