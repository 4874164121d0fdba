/*
 * The device interrupt table; see irq.h. A line with no handler that fires
 * anyway is masked and reported once, instead of storming.
 */
#include "kernel/irq.h"

#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/spinlock.h"

struct irq_handler {
	void (*fn)(void *arg);
	void *arg;
};

/* handlers is written under table_lock (taken with interrupts off: the
 * dispatch reads it in interrupt context) and read without it. */
static struct spinlock table_lock = SPINLOCK_INIT;
static struct irq_handler handlers[IRQ_MAX];

bool irq_register(unsigned irq, void (*fn)(void *arg), void *arg)
{
	if (irq >= IRQ_MAX)
		return false;
	unsigned long flags = spin_lock_irqsave(&table_lock);
	bool free = handlers[irq].fn == NULL;
	if (free)
		handlers[irq] = (struct irq_handler){fn, arg};
	spin_unlock_irqrestore(&table_lock, flags);
	if (free && !arch_irq_line(irq, true)) {
		irq_unregister(irq);
		return false;
	}
	return free;
}

void irq_unregister(unsigned irq)
{
	if (irq >= IRQ_MAX)
		return;
	arch_irq_line(irq, false);
	unsigned long flags = spin_lock_irqsave(&table_lock);
	handlers[irq] = (struct irq_handler){0};
	spin_unlock_irqrestore(&table_lock, flags);
}

void kernel_irq(unsigned irq)
{
	struct irq_handler h = irq < IRQ_MAX ? handlers[irq] : (struct irq_handler){0};
	if (h.fn != NULL) {
		h.fn(h.arg);
		return;
	}
	arch_irq_line(irq, false);
	console_printf("gort: unexpected interrupt on line %u (masked)\n", irq);
}
