/*
 * The interface every arch/<arch>/ folder implements, and the only way
 * kernel/ and runtime/ reach the hardware.
 *
 * Boot order: the arch's entry code (boot/<arch>/) runs with a boot stack,
 * turns the MMU on with an identity map, installs its trap vectors, tells
 * kernel/ what it found (memory map, command line, device tree) and calls
 * kernel_main(). From then on kernel/ calls only the functions below.
 *
 * A fifth arch is a new arch/<arch>/ and boot/<arch>/ pair implementing this
 * header plus arch/<arch>/archdefs.h (constants and inline helpers); nothing
 * in kernel/ or runtime/ changes.
 */
#ifndef GORT_KERNEL_ARCH_H
#define GORT_KERNEL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <archdefs.h>

struct trapframe;

/* The console UART: write one byte, waiting while the transmitter is full.
 * Safe to call from any context, including trap handlers. */
void arch_console_putc(uint8_t c);

/* Ends the machine with exit status code (0..255) as seen by the host:
 * isa-debug-exit, semihosting or the sifive_test finisher. Never returns. */
_Noreturn void arch_exit(int code);

/* Stops this CPU for good (interrupts off, halt in a loop). */
_Noreturn void arch_halt(void);

/* Prints the registers saved in a trap frame, one per line, to the console. */
void arch_trap_print_registers(const struct trapframe *tf);

/* The interrupted program counter and frame pointer of a trap frame. */
uintptr_t arch_trap_pc(const struct trapframe *tf);
uintptr_t arch_trap_fp(const struct trapframe *tf);

/* The caller's frame pointer, for walking the current stack. */
static inline uintptr_t arch_current_fp(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}

#endif
