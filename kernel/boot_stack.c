/*
 * The boot stack; see boot_stack.h. It lives in .bss, which the entry code
 * zeroes before it pushes anything.
 */
#include "kernel/boot_stack.h"

uint8_t boot_stack[BOOT_STACK_SIZE] __attribute__((aligned(16)));
