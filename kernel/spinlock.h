/*
 * Spinlocks for kernel and runtime code: test-and-test-and-set on one
 * word. A waiter spins reading the word and tries an exchange only when it
 * reads it free.
 *
 * Not a ticket lock. gort runs on virtual CPUs as often as on real ones,
 * and with more virtual CPUs than host cores a ticket lock hands the lock
 * to the next waiter in line even when the host has descheduled that
 * waiter, stalling every CPU behind it for a host time slice: 100,000
 * goroutines parking on one channel with 4 aarch64 CPUs on 2 host cores
 * took 180 s with a ticket lock and 14 s with this one. The
 * price is fairness: a waiter is not guaranteed its turn, which the
 * runtime's short critical sections make harmless.
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
	uint32_t locked; /* 1 while held (a word: riscv64 has no byte swap) */
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0                                                                                  \
	}

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0)
			arch_cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
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
