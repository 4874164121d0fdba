/*
 * aarch64 interrupts: the IRQ vector's dispatch, the idle wait, IPIs and
 * device lines, over the GIC (gic.c).
 *
 * Every interrupt arrives as an IRQ at EL1 (vectors.S saves the whole
 * register state, FP/SIMD included, on the interrupted stack, calls
 * aarch64_irq and then kernel_interrupt_return, and returns to the
 * interrupted code).
 * aarch64_irq acknowledges interrupts until the GIC reports none pending:
 * the kernel's SGI calls kernel_ipi, the virtual timer's PPI calls
 * kernel_timer_interrupt (time.c), an SPI calls kernel_irq(INTID - 32);
 * any other SGI or PPI is ignored, and a spurious acknowledge (INTID 1020
 * and up) ends the loop without an EOI.
 */
#include "arch/aarch64/arch.h"
#include "kernel/arch.h"
#include "kernel/boot.h"

void aarch64_irq(void)
{
	for (;;) {
		uint32_t ack;
		unsigned intid = gic_ack(&ack);
		if (intid >= GIC_INTID_SPECIAL)
			return;
		if (intid == GIC_SGI_KERNEL)
			kernel_ipi();
		else if (intid == aarch64_platform.timer_intid)
			aarch64_timer_interrupt();
		else if (intid >= GIC_SPI_BASE)
			kernel_irq(intid - GIC_SPI_BASE);
		gic_eoi(ack);
	}
}

/* WFI wakes on a pending IRQ even while PSTATE.I masks it, so an interrupt
 * that arrives between the caller's check and the WFI is not lost: the WFI
 * returns at once and the interrupt is taken when I is cleared. */
void arch_idle(void)
{
	__asm__ volatile("wfi\n\t"
			 "msr daifclr, #2\n\t"
			 "isb\n\t"
			 "msr daifset, #2"
			 :
			 :
			 : "memory");
}

void arch_ipi_send(const struct cpu *c)
{
	gic_send_sgi(c, GIC_SGI_KERNEL);
}

bool arch_irq_line(unsigned irq, bool enable)
{
	return gic_spi_enable(irq, enable);
}
