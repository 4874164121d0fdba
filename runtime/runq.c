/*
 * Run queues: each p's local queue, the global queue, and work stealing,
 * as in Go's scheduler.
 *
 * A local queue is a ring of RUNQ_SIZE goroutines plus a runnext slot.
 * Only the p's owner (its CPU, interrupts off) adds: it writes the slot at
 * runqtail and then publishes it with a release store of runqtail. Anyone
 * takes: the owner from the head, other CPUs by stealing half, each
 * claiming what it read with a compare-and-swap of runqhead, so a slot is
 * handed out exactly once. runnext is a single atomic pointer: the
 * goroutine readied last runs next and inherits the current time slice,
 * which keeps a pair of goroutines talking over a channel on one CPU
 * without letting them starve the rest of the queue (the slice still ends
 * after PREEMPT_NS).
 *
 * When the ring is full, half of it moves to the global queue in one
 * batch. The global queue is a list under sched.lock; a p takes its fair
 * share of it at once (Go's globrunqget).
 */
#include "runtime/sched.h"

#include "kernel/arch.h"
#include "kernel/clock.h"

/* How long a thief lets a running p get to its runnext before taking it
 * (Go waits about 3 microseconds): the p that readied it usually switches
 * to it at once. If the p started any goroutine meanwhile (p.nswitch),
 * the runnext the thief sees is a fresh one, however equal the pointer (a
 * ping-pong pair alternates two), and it is left alone. */
#define STEAL_RUNNEXT_WAIT_NS 3000

static uint32_t load_acq(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

bool runqempty(struct p *pp)
{
	for (;;) {
		uint32_t head = load_acq(&pp->runqhead);
		uint32_t tail = load_acq(&pp->runqtail);
		struct g *next = __atomic_load_n(&pp->runnext, __ATOMIC_ACQUIRE);
		if (tail == load_acq(&pp->runqtail))
			return head == tail && next == NULL;
	}
}

uint32_t runqsize(struct p *pp)
{
	uint32_t head = load_acq(&pp->runqhead);
	uint32_t tail = load_acq(&pp->runqtail);
	uint32_t n = tail - head;
	return (n > RUNQ_SIZE ? 0 : n) + (__atomic_load_n(&pp->runnext, __ATOMIC_RELAXED) != NULL);
}

/* Links gs[0..n) and appends them to the global queue. */
static void globrunqputbatch(struct g **gs, int n)
{
	for (int i = 0; i < n - 1; i++)
		gs[i]->schedlink = gs[i + 1];
	gs[n - 1]->schedlink = NULL;
	unsigned long flags = spin_lock_irqsave(&sched.lock);
	if (sched.runqtail != NULL)
		sched.runqtail->schedlink = gs[0];
	else
		sched.runqhead = gs[0];
	sched.runqtail = gs[n - 1];
	__atomic_store_n(&sched.runqsize, sched.runqsize + n, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&sched.lock, flags);
}

/* The ring is full: moves its older half and gp to the global queue.
 * False if a thief took some meanwhile (there is room again). */
static bool runqputslow(struct p *pp, struct g *gp, uint32_t head, uint32_t tail)
{
	struct g *batch[RUNQ_SIZE / 2 + 1];
	uint32_t n = (tail - head) / 2;
	for (uint32_t i = 0; i < n; i++)
		batch[i] = __atomic_load_n(&pp->runq[(head + i) % RUNQ_SIZE], __ATOMIC_RELAXED);
	if (!__atomic_compare_exchange_n(&pp->runqhead, &head, head + n, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
		return false;
	batch[n] = gp;
	globrunqputbatch(batch, (int)n + 1);
	return true;
}

void runqput(struct p *pp, struct g *gp, bool next)
{
	if (next) {
		gp = __atomic_exchange_n(&pp->runnext, gp, __ATOMIC_ACQ_REL);
		if (gp == NULL)
			return;
	}
	for (;;) {
		uint32_t head = load_acq(&pp->runqhead);
		uint32_t tail = pp->runqtail;
		if (tail - head < RUNQ_SIZE) {
			__atomic_store_n(&pp->runq[tail % RUNQ_SIZE], gp, __ATOMIC_RELAXED);
			__atomic_store_n(&pp->runqtail, tail + 1, __ATOMIC_RELEASE);
			return;
		}
		if (runqputslow(pp, gp, head, tail))
			return;
	}
}

struct g *runqget(struct p *pp, bool *inherit)
{
	struct g *next = __atomic_load_n(&pp->runnext, __ATOMIC_ACQUIRE);
	if (next != NULL && __atomic_compare_exchange_n(&pp->runnext, &next, NULL, false,
							__ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		*inherit = true;
		return next;
	}
	*inherit = false;
	for (;;) {
		uint32_t head = load_acq(&pp->runqhead);
		uint32_t tail = pp->runqtail;
		if (tail == head)
			return NULL;
		struct g *gp = __atomic_load_n(&pp->runq[head % RUNQ_SIZE], __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(&pp->runqhead, &head, head + 1, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return gp;
	}
}

/* Copies half of victim's queue into pp's ring from pp's tail on, without
 * publishing it, and claims it; returns how many. With stealnext and an
 * empty ring, takes victim's runnext instead. */
static uint32_t runqgrab(struct p *pp, struct p *victim, bool stealnext)
{
	uint32_t base = pp->runqtail;
	for (;;) {
		uint32_t head = load_acq(&victim->runqhead);
		uint32_t tail = load_acq(&victim->runqtail);
		uint32_t n = tail - head;
		n -= n / 2;
		if (n == 0) {
			if (!stealnext)
				return 0;
			struct g *next = __atomic_load_n(&victim->runnext, __ATOMIC_ACQUIRE);
			if (next == NULL)
				return 0;
			if (!__atomic_load_n(&victim->idle, __ATOMIC_RELAXED)) {
				uint32_t switches =
				    __atomic_load_n(&victim->nswitch, __ATOMIC_RELAXED);
				uint64_t until = nanotime() + STEAL_RUNNEXT_WAIT_NS;
				while (nanotime() < until)
					for (int k = 0; k < SPIN_RELAX_BATCH; k++)
						arch_cpu_relax();
				if (__atomic_load_n(&victim->nswitch, __ATOMIC_RELAXED) != switches)
					return 0;
			}
			if (!__atomic_compare_exchange_n(&victim->runnext, &next, NULL, false,
							 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				continue;
			pp->runq[base % RUNQ_SIZE] = next;
			return 1;
		}
		if (n > RUNQ_SIZE / 2)
			continue; /* read head and tail at different times: retry */
		for (uint32_t i = 0; i < n; i++)
			pp->runq[(base + i) % RUNQ_SIZE] = __atomic_load_n(
			    &victim->runq[(head + i) % RUNQ_SIZE], __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(&victim->runqhead, &head, head + n, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return n;
	}
}

struct g *runqsteal(struct p *pp, struct p *victim, bool stealnext)
{
	uint32_t tail = pp->runqtail;
	uint32_t n = runqgrab(pp, victim, stealnext);
	if (n == 0)
		return NULL;
	n--;
	struct g *gp = pp->runq[(tail + n) % RUNQ_SIZE];
	if (n != 0)
		__atomic_store_n(&pp->runqtail, tail + n, __ATOMIC_RELEASE);
	return gp;
}

void globrunqput(struct g *gp)
{
	gp->schedlink = NULL;
	if (sched.runqtail != NULL)
		sched.runqtail->schedlink = gp;
	else
		sched.runqhead = gp;
	sched.runqtail = gp;
	__atomic_store_n(&sched.runqsize, sched.runqsize + 1, __ATOMIC_RELAXED);
}

static struct g *globrunqpop(void)
{
	struct g *gp = sched.runqhead;
	sched.runqhead = gp->schedlink;
	if (sched.runqhead == NULL)
		sched.runqtail = NULL;
	__atomic_store_n(&sched.runqsize, sched.runqsize - 1, __ATOMIC_RELAXED);
	return gp;
}

struct g *globrunqget(struct p *pp, int max)
{
	int32_t n = sched.runqsize;
	if (n == 0)
		return NULL;
	int32_t share = n / __atomic_load_n(&sched.gomaxprocs, __ATOMIC_RELAXED) + 1;
	if (share < n)
		n = share;
	if (max > 0 && n > max)
		n = max;
	if (n > RUNQ_SIZE / 2)
		n = RUNQ_SIZE / 2;
	struct g *gp = globrunqpop();
	while (--n > 0)
		runqput(pp, globrunqpop(), false);
	return gp;
}

void runq_to_global(struct p *pp)
{
	bool inherit;
	struct g *gp;
	while ((gp = runqget(pp, &inherit)) != NULL)
		globrunqput(gp);
}
