/*
 * select: Go's runtime/select.go (selectgo) in C.
 *
 * chan_select works in three passes over the cases, holding the locks of
 * all their channels at once:
 *   0. Order. pollorder is a uniformly random permutation of the cases
 *      (nil-channel cases left out: they never become ready), so that among
 *      several ready cases each is chosen with equal probability.
 *      lockorder sorts the cases by channel address (a heap sort, as Go's),
 *      and every select takes the locks in that order and skips repeats of
 *      a channel, so two selects never deadlock on each other's locks.
 *   1. Look for a case that can proceed now, in pollorder: a waiting
 *      partner, buffer room or data, or a closed channel. Take it.
 *   2. None: unless blocking, return -1. Otherwise put a sudog on every
 *      case's queue, linked in lockorder from g->waiting, and park;
 *      selparkcommit releases the locks. The sudogs and the two orders
 *      live in this stack frame, or for a select of more than
 *      SELECT_STACK_CASES cases in one allocation each.
 *   3. Woken: the waker that won g->selectdone completed one case and
 *      left its sudog in g->param. Lock everything again, take the other
 *      sudogs off their queues, and report the winner.
 * Locks are spinlocks with interrupts off, so from the first lock to the
 * last unlock (or the park) interrupts stay off; flags is restored at the
 * end.
 *
 * selparkcommit releases the locks in lockorder and reads each sudog
 * before releasing the previous channel: once the first lock is free, a
 * waker may make the goroutine runnable, but it then spins in sellock on
 * the first lock still held, so its frame (and the sudogs) outlive the
 * loop.
 */
#include <gort/chan.h>

#include <gort/runtime.h>

#include "runtime/chan.h"
#include "runtime/proc.h"
#include "runtime/throw.h"

/* Selects with up to this many cases keep their scratch arrays on the
 * stack; larger ones allocate them. */
#define SELECT_STACK_CASES 16

/* lockorder's heap sort by channel address (Go's). */
static void sort_lockorder(const chan_case_t *cases, const int *pollorder, int *lockorder, int n)
{
	for (int i = 0; i < n; i++) {
		int j = i;
		struct hchan *c = cases[pollorder[i]].c;
		while (j > 0) {
			int k = (j - 1) / 2;
			if ((uintptr_t)cases[lockorder[k]].c >= (uintptr_t)c)
				break;
			lockorder[j] = lockorder[k];
			j = k;
		}
		lockorder[j] = pollorder[i];
	}
	for (int i = n - 1; i >= 0; i--) {
		int o = lockorder[i];
		struct hchan *c = cases[o].c;
		lockorder[i] = lockorder[0];
		int j = 0;
		for (;;) {
			int k = j * 2 + 1;
			if (k >= i)
				break;
			if (k + 1 < i &&
			    (uintptr_t)cases[lockorder[k]].c < (uintptr_t)cases[lockorder[k + 1]].c)
				k++;
			if ((uintptr_t)c < (uintptr_t)cases[lockorder[k]].c) {
				lockorder[j] = lockorder[k];
				j = k;
				continue;
			}
			break;
		}
		lockorder[j] = o;
	}
}

/* Locks every channel once, in lockorder (interrupts already off). */
static void sellock(const chan_case_t *cases, const int *lockorder, int n)
{
	struct hchan *last = NULL;
	for (int i = 0; i < n; i++) {
		struct hchan *c = cases[lockorder[i]].c;
		if (c != last)
			spin_lock(&c->lock);
		last = c;
	}
}

/* Unlocks every channel once, in reverse lockorder (interrupts stay off). */
static void selunlock(const chan_case_t *cases, const int *lockorder, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		struct hchan *c = cases[lockorder[i]].c;
		if (i > 0 && c == cases[lockorder[i - 1]].c)
			continue;
		spin_unlock(&c->lock);
	}
}

static bool selparkcommit(struct g *gp, void *arg)
{
	(void)arg;
	struct hchan *last = NULL;
	for (struct sudog *sg = gp->waiting; sg != NULL; sg = sg->waitlink) {
		if (sg->c != last && last != NULL)
			spin_unlock(&last->lock);
		last = sg->c;
	}
	if (last != NULL)
		spin_unlock(&last->lock);
	return true;
}

/* Pass 1 on case i: completes it if it can proceed now (releasing the
 * locks, waking the partner, restoring flags) and returns true. */
static bool select_try(chan_case_t *cases, int i, const int *lockorder, int n, unsigned long flags)
{
	chan_case_t *cas = &cases[i];
	struct hchan *c = cas->c;
	struct sudog *sg;
	struct g *wake = NULL;

	if (cas->dir == CHAN_RECV) {
		if ((sg = waitq_dequeue(&c->sendq)) != NULL) {
			wake = chan_recv_direct(c, sg, cas->elem);
			cas->ok = true;
		} else if (c->qcount > 0) {
			chan_buf_get(c, cas->elem);
			cas->ok = true;
		} else if (c->closed) {
			chan_zero(cas->elem, c->elemsize);
			cas->ok = false;
		} else {
			return false;
		}
	} else {
		if (c->closed) {
			selunlock(cases, lockorder, n);
			arch_irq_restore(flags);
			gopanic_string("send on closed channel");
		}
		if ((sg = waitq_dequeue(&c->recvq)) != NULL)
			wake = chan_send_direct(c, sg, cas->elem);
		else if (c->qcount < c->dataqsiz)
			chan_buf_put(c, cas->elem);
		else
			return false;
	}
	selunlock(cases, lockorder, n);
	if (wake != NULL)
		goready(wake);
	arch_irq_restore(flags);
	return true;
}

/* Passes 2 and 3: waits on every case; returns the index of the one that
 * completed. sgs has room for n sudogs. */
static int select_wait(chan_case_t *cases, const int *lockorder, int n, struct sudog *sgs,
		       unsigned long flags)
{
	struct g *gp = getg();
	gp->param = NULL;
	gp->waiting = NULL;
	struct sudog **link = &gp->waiting;
	for (int i = 0; i < n; i++) {
		int ci = lockorder[i];
		chan_case_t *cas = &cases[ci];
		struct sudog *sg = &sgs[ci];
		*sg = (struct sudog){.g = gp, .elem = cas->elem, .c = cas->c, .isselect = true};
		*link = sg;
		link = &sg->waitlink;
		waitq_enqueue(cas->dir == CHAN_SEND ? &cas->c->sendq : &cas->c->recvq, sg);
	}
	gopark(selparkcommit, NULL, "select");

	sellock(cases, lockorder, n);
	__atomic_store_n(&gp->selectdone, 0, __ATOMIC_RELAXED);
	struct sudog *won = gp->param;
	int chosen = -1;
	for (struct sudog *sg = gp->waiting; sg != NULL; sg = sg->waitlink) {
		int ci = (int)(sg - sgs);
		if (sg == won)
			chosen = ci;
		else
			waitq_remove(cases[ci].dir == CHAN_SEND ? &sg->c->sendq : &sg->c->recvq,
				     sg);
	}
	gp->waiting = NULL;
	gp->param = NULL;
	if (chosen < 0)
		throw("selectgo: bad wakeup");
	selunlock(cases, lockorder, n);
	arch_irq_restore(flags);

	if (cases[chosen].dir == CHAN_RECV)
		cases[chosen].ok = won->success;
	else if (!won->success)
		gopanic_string("send on closed channel");
	return chosen;
}

int chan_select(chan_case_t *cases, int n, bool block)
{
	if (n == 0) {
		if (!block)
			return -1;
		arch_irq_save();
		gopark(NULL, NULL, "select (no cases)");
		throw("unreachable");
	}

	int stack_order[2 * SELECT_STACK_CASES];
	struct sudog stack_sgs[SELECT_STACK_CASES];
	int *pollorder = stack_order;
	struct sudog *sgs = stack_sgs;
	if (n > SELECT_STACK_CASES) {
		pollorder = gort_new_noscan(2 * (size_t)n * sizeof(int));
		sgs = gort_new((size_t)n * sizeof(struct sudog));
	}

	unsigned long flags = arch_irq_save();
	int norder = 0;
	for (int i = 0; i < n; i++) {
		if (cases[i].c == NULL)
			continue;
		int j = (int)cheaprandn((uint32_t)norder + 1);
		pollorder[norder] = pollorder[j];
		pollorder[j] = i;
		norder++;
	}
	int *lockorder = pollorder + norder;
	sort_lockorder(cases, pollorder, lockorder, norder);

	sellock(cases, lockorder, norder);
	for (int i = 0; i < norder; i++)
		if (select_try(cases, pollorder[i], lockorder, norder, flags))
			return pollorder[i];
	if (!block) {
		selunlock(cases, lockorder, norder);
		arch_irq_restore(flags);
		return -1;
	}
	return select_wait(cases, lockorder, norder, sgs, flags);
}
