/*
 * Device interrupts: one handler per interrupt line, registered by the
 * driver that owns the line, called by the arch's interrupt entry (through
 * kernel_irq) in interrupt context with interrupts off.
 */
#ifndef GORT_KERNEL_IRQ_H
#define GORT_KERNEL_IRQ_H

#include <stdbool.h>

#define IRQ_MAX 1024

/* Installs fn(arg) for line irq and unmasks the line. Returns false if the
 * line does not exist or already has a handler. */
bool irq_register(unsigned irq, void (*fn)(void *arg), void *arg);

/* Masks line irq and removes its handler. */
void irq_unregister(unsigned irq);

#endif
