/*
 * The aarch64 console (QEMU virt's PL011) and the exit through Arm
 * semihosting, which QEMU turns into its own exit status when started
 * with -semihosting.
 */
#include <stdbool.h>

#include "arch/aarch64/aarch64.h"
#include "arch/aarch64/arch.h"
#include "drivers/pl011.h"
#include "kernel/arch.h"

void aarch64_console_init(void)
{
	pl011_init(VIRT_PL011_BASE);
}

void arch_console_putc(uint8_t c)
{
	pl011_putc(VIRT_PL011_BASE, c);
}

/* Without a semihosting host (real hardware), the HLT traps as an
 * undefined instruction; the flag makes that second exit halt instead. */
static volatile bool exiting;

_Noreturn void arch_exit(int code)
{
	if (!exiting) {
		exiting = true;
		uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)code};
		register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT_EXTENDED;
		register uint64_t x1 __asm__("x1") = (uint64_t)block;
		__asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	}
	arch_halt();
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf\nwfi");
}
