/*
 * The stack the boot CPU runs on from the entry code through kernel_main
 * (and, until goroutines exist, main itself). The entry code of each arch
 * points its stack pointer at boot_stack + BOOT_STACK_SIZE; backtraces use
 * the same bounds. Included from assembly too.
 */
#ifndef GORT_KERNEL_BOOT_STACK_H
#define GORT_KERNEL_BOOT_STACK_H

#define BOOT_STACK_SIZE 65536

#ifndef __ASSEMBLER__
#include <stdint.h>
extern uint8_t boot_stack[BOOT_STACK_SIZE];
#endif

#endif
