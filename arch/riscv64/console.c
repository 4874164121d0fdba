/*
 * The riscv64 console (QEMU virt's 16550 over MMIO) and the exit: the
 * sifive_test finisher carries the status to QEMU; where there is none,
 * SBI system reset powers off (without a status), and failing that the
 * hart halts.
 */
#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "drivers/ns16550.h"
#include "kernel/arch.h"
#include "kernel/mmio.h"

static uint8_t mmio_reg_read(uintptr_t base, unsigned reg)
{
	return mmio_read8(base + reg);
}

static void mmio_reg_write(uintptr_t base, unsigned reg, uint8_t v)
{
	mmio_write8(base + reg, v);
}

static const struct ns16550 uart0 = {VIRT_UART0_BASE, mmio_reg_read, mmio_reg_write};

void riscv64_console_init(void)
{
	ns16550_init(&uart0);
}

void arch_console_putc(uint8_t c)
{
	ns16550_putc(&uart0, c);
}

_Noreturn void arch_exit(int code)
{
	mmio_write32(VIRT_TEST_BASE,
		     code == 0 ? FINISHER_PASS : (uint32_t)code << 16 | FINISHER_FAIL);
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN,
		 code == 0 ? SBI_SRST_NO_REASON : SBI_SRST_SYSTEM_FAILURE, 0);
	arch_halt();
}

_Noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("csrci sstatus, %0\nwfi" : : "i"(SSTATUS_SIE));
}
