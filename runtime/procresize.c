/*
 * runtime.GOMAXPROCS: how many ps run goroutines at once.
 *
 * p i is always run by CPU i, so the ps are allp[0 .. GOMAXPROCS), and a
 * change activates or retires the ps at the end. Go stops the world for
 * it; gort changes the flags under sched.lock and lets each CPU act at its
 * next scheduling point: a CPU whose p is activated is woken and takes
 * it; a CPU whose p retires moves the p's goroutines to the global queue
 * and its timers to p 0 (retire_p in proc.c), and its running goroutine
 * is preempted at once so that happens now. The value can never exceed
 * the number of CPUs: a p beyond them would have no CPU to run it.
 */
#include "runtime/sched.h"

#include <gort/runtime.h>

#include "kernel/arch.h"
#include "kernel/smp.h"

/* The IPI that preempts a retiring CPU's goroutine (interrupt context). */
static void preempt_here(void *arg)
{
	(void)arg;
	struct m *mp = this_m();
	if (mp->curg != NULL)
		mp->curg->preempt = true;
}

int runtime_GOMAXPROCS(int n)
{
	unsigned long flags = spin_lock_irqsave(&sched.lock);
	int old = sched.gomaxprocs;
	if (n <= 0 || n == old || !sched.started) {
		spin_unlock_irqrestore(&sched.lock, flags);
		return old;
	}
	if (n > ncpu)
		n = ncpu;
	for (int i = old; i < n; i++) {
		allp[i].retiring = false;
		__atomic_store_n(&allp[i].active, true, __ATOMIC_RELEASE);
	}
	for (int i = n; i < old; i++)
		__atomic_store_n(&allp[i].retiring, true, __ATOMIC_RELEASE);
	__atomic_store_n(&sched.gomaxprocs, n, __ATOMIC_RELEASE);
	struct m *me = this_m();
	spin_unlock_irqrestore(&sched.lock, flags);

	for (int i = old; i < n; i++)
		arch_ipi_send(allm[i].cpu);
	bool self_retires = false;
	for (int i = n; i < old; i++) {
		if (&allm[i] == me)
			self_retires = true;
		else
			smp_call(allm[i].cpu, preempt_here, NULL);
	}
	if (self_retires)
		runtime_Gosched();
	return old;
}
