/*
 * riscv64 interrupts. A hart takes three, all enabled in sie by
 * riscv64_interrupts_init:
 *   supervisor software (SSIP) - the kernel IPI. The sender asks the SBI
 *     firmware to raise it on the target (IPI extension, or the legacy
 *     call); the target clears sip.SSIP before running kernel_ipi, so an
 *     IPI sent while it runs raises the bit again and is not lost.
 *   supervisor timer (STIP) - the one-shot timer (time.c). The handler
 *     disarms it (which clears STIP) before calling kernel_timer_interrupt,
 *     which may arm it again.
 *   supervisor external (SEIP) - the PLIC. Device lines are enabled only in
 *     the boot hart's S-mode context; the handler claims sources until
 *     none is left, calling kernel_irq for each and completing it.
 * Any other interrupt cause is spurious and ignored. When
 * riscv64_interrupt returns, each source has been told its interrupt
 * ended, as vectors.S needs before it calls kernel_interrupt_return.
 *
 * arch_idle waits with wfi while sstatus.SIE is off (wfi wakes for any
 * interrupt enabled in sie, whatever SIE says), then opens SIE for one
 * instruction so the pending interrupt is taken, and closes it again: no
 * interrupt can slip between the check and the wait.
 */
#include "arch/riscv64/arch.h"
#include "arch/riscv64/riscv.h"
#include "arch/riscv64/sbi.h"
#include "drivers/plic.h"
#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/spinlock.h"

/* Every device line has the same PLIC priority, above every open
 * context's threshold. */
#define LINE_PRIORITY  1
#define OPEN_THRESHOLD 0

/* Protects the PLIC's priority and enable registers (read-modify-write of
 * words shared by 32 sources). Taken with interrupts off: kernel_irq masks
 * lines from interrupt context. */
static struct spinlock plic_lock = SPINLOCK_INIT;

void riscv64_interrupts_init(struct cpu *c)
{
	arch_timer_set(UINT64_MAX);
	__asm__ volatile("csrc sip, %0" : : "r"(SIP_SSIP));
	if (riscv64_platform.plic_base != 0 && c->arch.plic_context >= 0)
		plic_set_threshold(riscv64_platform.plic_base, (unsigned)c->arch.plic_context,
				   OPEN_THRESHOLD);
	__asm__ volatile("csrs sie, %0" : : "r"(SIE_SSIE | SIE_STIE | SIE_SEIE));
}

/* Interrupt context. */
static void external_interrupt(struct cpu *c)
{
	uintptr_t plic = riscv64_platform.plic_base;
	if (plic == 0 || c->arch.plic_context < 0)
		return;
	unsigned context = (unsigned)c->arch.plic_context, source;
	while ((source = plic_claim(plic, context)) != 0) {
		kernel_irq(source);
		plic_complete(plic, context, source);
	}
}

/* Interrupt context. */
void riscv64_interrupt(uint64_t code)
{
	switch (code) {
	case IRQ_S_SOFT:
		__asm__ volatile("csrc sip, %0" : : "r"(SIP_SSIP) : "memory");
		kernel_ipi();
		break;
	case IRQ_S_TIMER:
		arch_timer_set(UINT64_MAX);
		kernel_timer_interrupt();
		break;
	case IRQ_S_EXT:
		external_interrupt(this_cpu());
		break;
	default:
		break;
	}
}

void arch_idle(void)
{
	__asm__ volatile("wfi\n\tcsrsi sstatus, %0\n\tcsrci sstatus, %0"
			 :
			 : "i"(SSTATUS_SIE)
			 : "memory");
}

void arch_ipi_send(const struct cpu *c)
{
	if (riscv64_platform.sbi_ipi) {
		sbi_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, c->hwid, 0);
	} else if (c->hwid < 64) { /* the legacy call's mask covers harts 0..63 */
		uint64_t mask = 1ULL << c->hwid;
		sbi_call(SBI_EXT_LEGACY_SEND_IPI, 0, (uintptr_t)&mask, 0, 0);
	}
}

bool arch_irq_line(unsigned irq, bool enable)
{
	const struct riscv64_platform *p = &riscv64_platform;
	int context = p->nharts > 0 ? p->harts[0].plic_context : -1;
	if (p->plic_base == 0 || context < 0 || irq == 0 || irq > p->plic_ndev)
		return false;
	unsigned long flags = spin_lock_irqsave(&plic_lock);
	if (enable)
		plic_set_priority(p->plic_base, irq, LINE_PRIORITY);
	plic_enable(p->plic_base, (unsigned)context, irq, enable);
	spin_unlock_irqrestore(&plic_lock, flags);
	return true;
}
