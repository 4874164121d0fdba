/*
 * Freezing the other CPUs for a fatal report (freeze.h).
 */
#include "kernel/freeze.h"

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/smp.h"

/* Where each frozen CPU stopped; written by that CPU before it sets
 * frozen (release), read by the reporter after it sees frozen (acquire). */
static struct {
	uintptr_t pc, fp;
	bool frozen;
} stops[MAX_CPUS];

static int freezing; /* atomic, 0 or 1: freeze_others ran (a word: riscv64 has no byte swap) */

/* The call a frozen CPU runs in its IPI handler: never returns. */
static __attribute__((noinline)) void freeze_here(void *arg)
{
	(void)arg;
	int id = this_cpu()->id;
	stops[id].pc = (uintptr_t)freeze_here;
	stops[id].fp = arch_current_fp();
	__atomic_store_n(&stops[id].frozen, true, __ATOMIC_RELEASE);
	arch_halt();
}

int freeze_others(void)
{
	if (__atomic_exchange_n(&freezing, 1, __ATOMIC_ACQ_REL) != 0)
		return 0;
	struct cpu *me = this_cpu();
	for (int i = 0; i < MAX_CPUS; i++)
		if (&cpus[i] != me && __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			smp_post_once(&cpus[i], freeze_here, NULL);
	uint64_t deadline = nanotime() + FREEZE_WAIT_NS;
	int stopped = 0;
	for (int i = 0; i < MAX_CPUS; i++) {
		if (&cpus[i] == me || !__atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			continue;
		while (!__atomic_load_n(&stops[i].frozen, __ATOMIC_ACQUIRE) && nanotime() < deadline)
			arch_cpu_relax();
		stopped += __atomic_load_n(&stops[i].frozen, __ATOMIC_ACQUIRE);
	}
	return stopped;
}

bool cpu_frozen(const struct cpu *c, uintptr_t *pc, uintptr_t *fp)
{
	if (!__atomic_load_n(&stops[c->id].frozen, __ATOMIC_ACQUIRE))
		return false;
	*pc = stops[c->id].pc;
	*fp = stops[c->id].fp;
	return true;
}
