/*
 * Spinlocks for kernel code: a ticket lock, so waiting CPUs are served in
 * order and none starves.
 *
 * Interrupt discipline. A lock that an interrupt handler may take must be
 * held with interrupts off everywhere (spin_lock_irqsave), or a handler on
 * the same CPU would spin forever on a lock its own CPU holds. A lock never
 * taken in interrupt context may use spin_lock. Every lock's declaration
 * says which kind it is and what it protects.
 */
#ifndef GORT_KERNEL_SPINLOCK_H
#define GORT_KERNEL_SPINLOCK_H

#include <stdint.h>

#include <archdefs.h>

struct spinlock {
	uint32_t next;    /* the next ticket to hand out */
	uint32_t serving; /* the ticket that holds the lock */
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0, 0                                                                               \
	}

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&l->serving, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
}

/* Disables interrupts, then takes the lock; returns the interrupt state to
 * hand to spin_unlock_irqrestore. */
static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();
	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	spin_unlock(l);
	arch_irq_restore(flags);
}

#endif
