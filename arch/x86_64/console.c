/*
 * The x86_64 console: COM1 through I/O ports, and the exit device.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/x86.h"
#include "drivers/ns16550.h"
#include "kernel/arch.h"

static uint8_t port_read(uintptr_t base, unsigned reg)
{
	return inb((uint16_t)(base + reg));
}

static void port_write(uintptr_t base, unsigned reg, uint8_t v)
{
	outb((uint16_t)(base + reg), v);
}

static const struct ns16550 com1 = {COM1_PORT, port_read, port_write};

void x86_64_console_init(void)
{
	ns16550_init(&com1);
}

void arch_console_putc(uint8_t c)
{
	ns16550_putc(&com1, c);
}

/* isa-debug-exit makes QEMU exit with (code << 1) | 1; the runner reads the
 * exact code from the console's exit record. Without the device (real
 * hardware) the CPU halts. */
_Noreturn void arch_exit(int code)
{
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
	arch_halt();
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
