/*
 * Ending the machine. The exit status reaches the host as the status of the
 * QEMU process (through the runner) on every arch: the console carries a
 * "gort:exit N" record first, so the runner can tell a guest exit from a
 * QEMU failure and recover N where the exit device cannot carry all 8 bits.
 */
#ifndef GORT_KERNEL_EXIT_H
#define GORT_KERNEL_EXIT_H

/* Exits with code & 0xff, as a Unix process status would be truncated.
 * Callable from any context; never returns. */
_Noreturn void machine_exit(int code);

#endif
