/*
 * Semaphores and notify lists: Go's runtime/sema.go in C, the sleeping
 * and waking under package sync.
 *
 * Semaphores. A semaphore is any uint32_t in the program's memory; its
 * value is the count of available units, changed only with atomics.
 * semacquire takes a unit if one is there; otherwise it sleeps in the
 * semaphore table. The table hashes the address to one of SEMTABSZ
 * buckets; each bucket has a lock, a list of roots (one sudog per address
 * that has waiters: Go keeps a treap, a list is enough here) and, per
 * root, the FIFO of the other waiters on that address (waitlink, with
 * waittail its last). nwait counts a bucket's sleepers, so semrelease
 * skips the lock when nobody sleeps:
 *   - an acquirer increments nwait under the lock before its last try, so
 *     a release that lands after that try sees nwait > 0 and takes the
 *     lock, which it only gets once the acquirer has parked;
 *   - a woken acquirer retries; with handoff (ticket = 1) the releaser has
 *     already taken the unit on its behalf.
 *
 * Notify lists (sync.Cond). Each waiter takes a ticket from wait before it
 * releases the Cond's lock, then parks in the list with its ticket;
 * notify is the next ticket to wake. A ticket below notify is already
 * notified, so a Signal that comes between taking the ticket and parking
 * is never lost. Signal wakes the waiter holding ticket notify, Broadcast
 * advances notify to wait and wakes the whole list.
 *
 * Locks are spinlocks with interrupts off; gopark releases them.
 */
#include "runtime/sema.h"

#include <gort/runtime.h>

#include "kernel/spinlock.h"
#include "runtime/chan.h"
#include "runtime/proc.h"
#include "runtime/throw.h"

/* Go's semTabSize: a prime, so addresses spread over the buckets. */
#define SEMTABSZ 251

struct semaroot {
	struct spinlock lock; /* taken with interrupts off */
	struct sudog *roots;  /* one waiter per address, linked by next; under lock */
	uint32_t nwait;       /* atomic: waiters in this bucket */
};

static struct semaroot semtable[SEMTABSZ];

static struct semaroot *semroot(uint32_t *addr)
{
	return &semtable[((uintptr_t)addr >> 3) % SEMTABSZ];
}

static bool cansemacquire(uint32_t *addr)
{
	uint32_t v = __atomic_load_n(addr, __ATOMIC_ACQUIRE);
	while (v != 0)
		if (__atomic_compare_exchange_n(addr, &v, v - 1, true, __ATOMIC_ACQUIRE,
						__ATOMIC_ACQUIRE))
			return true;
	return false;
}

/* Adds s, waiting on addr, to the bucket: at the end of addr's waiters, or
 * (lifo) at their head. Under root->lock. */
static void semqueue(struct semaroot *root, uint32_t *addr, struct sudog *s, bool lifo)
{
	s->elem = addr;
	s->next = s->prev = NULL;
	s->waitlink = NULL;
	s->waittail = NULL;
	struct sudog **pt = &root->roots;
	struct sudog *t = *pt;
	while (t != NULL && t->elem != addr) {
		pt = &t->next;
		t = *pt;
	}
	if (t == NULL) {
		*pt = s;
		return;
	}
	if (lifo) {
		/* s replaces t as the root, t heads s's waiters. */
		s->next = t->next;
		s->waitlink = t;
		s->waittail = t->waittail != NULL ? t->waittail : t;
		t->next = NULL;
		t->waittail = NULL;
		*pt = s;
		return;
	}
	if (t->waittail == NULL)
		t->waitlink = s;
	else
		t->waittail->waitlink = s;
	t->waittail = s;
}

/* Removes and returns the first waiter on addr, or NULL. Under
 * root->lock. */
static struct sudog *semdequeue(struct semaroot *root, uint32_t *addr)
{
	struct sudog **pt = &root->roots;
	struct sudog *s = *pt;
	while (s != NULL && s->elem != addr) {
		pt = &s->next;
		s = *pt;
	}
	if (s == NULL)
		return NULL;
	struct sudog *t = s->waitlink;
	if (t != NULL) {
		/* The next waiter becomes the root. */
		t->next = s->next;
		t->waittail = t == s->waittail ? NULL : s->waittail;
		*pt = t;
	} else {
		*pt = s->next;
	}
	s->next = s->waitlink = s->waittail = NULL;
	return s;
}

static bool parkunlock(struct g *gp, void *lock)
{
	(void)gp;
	spin_unlock(lock);
	return true;
}

void semacquire(uint32_t *addr, bool lifo, const char *reason)
{
	if (cansemacquire(addr))
		return;

	struct semaroot *root = semroot(addr);
	struct sudog s = {.g = getg()};
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&root->lock);
		__atomic_add_fetch(&root->nwait, 1, __ATOMIC_SEQ_CST);
		if (cansemacquire(addr)) {
			__atomic_sub_fetch(&root->nwait, 1, __ATOMIC_SEQ_CST);
			spin_unlock_irqrestore(&root->lock, flags);
			return;
		}
		s.ticket = 0;
		semqueue(root, addr, &s, lifo);
		gopark(parkunlock, &root->lock, reason);
		arch_irq_restore(flags);
		if (s.ticket != 0 || cansemacquire(addr))
			return;
	}
}

void semrelease(uint32_t *addr, bool handoff)
{
	struct semaroot *root = semroot(addr);
	__atomic_add_fetch(addr, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&root->nwait, __ATOMIC_SEQ_CST) == 0)
		return;

	unsigned long flags = spin_lock_irqsave(&root->lock);
	if (__atomic_load_n(&root->nwait, __ATOMIC_SEQ_CST) == 0) {
		spin_unlock_irqrestore(&root->lock, flags);
		return;
	}
	struct sudog *s = semdequeue(root, addr);
	if (s != NULL)
		__atomic_sub_fetch(&root->nwait, 1, __ATOMIC_SEQ_CST);
	spin_unlock(&root->lock);
	if (s == NULL) {
		arch_irq_restore(flags);
		return;
	}
	/* s is off the queue and parked: it is ours until goready. */
	bool handedoff = handoff && cansemacquire(addr);
	if (handedoff)
		s->ticket = 1;
	goready(s->g);
	arch_irq_restore(flags);
	if (handedoff)
		runtime_Gosched();
}

static struct spinlock *notify_lock(sync_notifyList *l)
{
	_Static_assert(sizeof(l->lock) == sizeof(struct spinlock), "notifyList lock size");
	return (struct spinlock *)(void *)&l->lock;
}

/* Go's less: a before b in ticket order, allowing wrap-around. */
static bool ticket_less(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

uint32_t notifyListAdd(sync_notifyList *l)
{
	return __atomic_fetch_add(&l->wait, 1, __ATOMIC_SEQ_CST);
}

void notifyListWait(sync_notifyList *l, uint32_t t)
{
	unsigned long flags = spin_lock_irqsave(notify_lock(l));
	if (ticket_less(t, l->notify)) {
		spin_unlock_irqrestore(notify_lock(l), flags);
		return;
	}
	struct sudog s = {.g = getg(), .ticket = t};
	if (l->tail == NULL)
		l->head = &s;
	else
		l->tail->next = &s;
	l->tail = &s;
	gopark(parkunlock, notify_lock(l), "sync.Cond.Wait");
	arch_irq_restore(flags);
}

void notifyListNotifyAll(sync_notifyList *l)
{
	if (__atomic_load_n(&l->wait, __ATOMIC_SEQ_CST) ==
	    __atomic_load_n(&l->notify, __ATOMIC_SEQ_CST))
		return;

	unsigned long flags = spin_lock_irqsave(notify_lock(l));
	struct sudog *s = l->head;
	l->head = l->tail = NULL;
	__atomic_store_n(&l->notify, __atomic_load_n(&l->wait, __ATOMIC_SEQ_CST), __ATOMIC_SEQ_CST);
	spin_unlock(notify_lock(l));
	while (s != NULL) {
		/* Read next before goready: s lives on its goroutine's stack. */
		struct sudog *next = s->next;
		s->next = NULL;
		goready(s->g);
		s = next;
	}
	arch_irq_restore(flags);
}

void notifyListNotifyOne(sync_notifyList *l)
{
	if (__atomic_load_n(&l->wait, __ATOMIC_SEQ_CST) ==
	    __atomic_load_n(&l->notify, __ATOMIC_SEQ_CST))
		return;

	unsigned long flags = spin_lock_irqsave(notify_lock(l));
	uint32_t t = l->notify;
	if (t == __atomic_load_n(&l->wait, __ATOMIC_SEQ_CST)) {
		spin_unlock_irqrestore(notify_lock(l), flags);
		return;
	}
	__atomic_store_n(&l->notify, t + 1, __ATOMIC_SEQ_CST);
	/* The waiter with ticket t may not have parked yet: then it finds
	 * its ticket notified and does not park. */
	for (struct sudog *p = NULL, *s = l->head; s != NULL; p = s, s = s->next) {
		if (s->ticket != t)
			continue;
		struct sudog *n = s->next;
		if (p != NULL)
			p->next = n;
		else
			l->head = n;
		if (n == NULL)
			l->tail = p;
		spin_unlock(notify_lock(l));
		s->next = NULL;
		goready(s->g);
		arch_irq_restore(flags);
		return;
	}
	spin_unlock_irqrestore(notify_lock(l), flags);
}
