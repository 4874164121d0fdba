/*
 * What the x86_64 boot code calls in the x86_64 arch layer.
 */
#ifndef GORT_ARCH_X86_64_ARCH_H
#define GORT_ARCH_X86_64_ARCH_H

/* COM1 at 115200 8N1, polled. */
void x86_64_console_init(void);

/* The final GDT with a TSS (a separate stack for double faults, NMIs and
 * machine checks) and the IDT with every exception vector. */
void x86_64_traps_init(void);

#endif
