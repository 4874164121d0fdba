/*
 * What the riscv64 boot code calls in the riscv64 arch layer.
 */
#ifndef GORT_ARCH_RISCV64_ARCH_H
#define GORT_ARCH_RISCV64_ARCH_H

/* The 16550 console, polled. */
void riscv64_console_init(void);

/* Installs the S-mode trap vector (stvec). */
void riscv64_traps_init(void);

#endif
