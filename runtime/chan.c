/*
 * Channels: Go's runtime/chan.go in C.
 *
 * A channel is one allocation: the hchan, then its ring buffer of dataqsiz
 * slots of elemsize bytes. Everything about it is under c->lock, a
 * spinlock taken with interrupts off (interrupt handlers send on timer
 * channels with chan_trysend).
 *
 * Waiting. A goroutine that cannot proceed describes itself in a sudog in
 * its own stack frame (value pointer, goroutine, channel), appends it to
 * the channel's recvq or sendq and parks with gopark, whose unlock function
 * releases c->lock only once the goroutine's state is saved. Whoever takes
 * the sudog off the queue completes the operation for it while holding the
 * lock, sets sg->success and g->param and makes it runnable with goready
 * after releasing the lock. Invariants, as in Go:
 *   - an unbuffered channel never has both queues non-empty, and a value
 *     goes straight from the sender's memory to the receiver's;
 *   - a buffered channel has waiting receivers only while its buffer is
 *     empty and waiting senders only while it is full; a receive from a full
 *     buffer with a waiting sender takes the head and puts the sender's
 *     value at the tail in one step (so FIFO order holds);
 *   - a closed channel has no waiting senders, and receivers drain the
 *     buffer before they see the zero value with ok = false.
 * close wakes every waiter with success = false: receivers get the zero
 * value, senders panic with "send on closed channel".
 *
 * Select. A select's sudogs sit in several queues at once; their goroutine
 * must be woken by exactly one case. waitq_dequeue skips (and drops) a
 * select's sudog unless it wins the compare-and-swap on g->selectdone; the
 * select removes its other sudogs itself when it wakes (select.c).
 */
#include <gort/chan.h>

#include <string.h>

#include <gort/runtime.h>

#include "runtime/chan.h"
#include "runtime/proc.h"
#include "runtime/throw.h"

void waitq_enqueue(struct waitq *q, struct sudog *sg)
{
	sg->next = NULL;
	sg->prev = q->last;
	if (q->last == NULL)
		q->first = sg;
	else
		q->last->next = sg;
	q->last = sg;
}

struct sudog *waitq_dequeue(struct waitq *q)
{
	for (;;) {
		struct sudog *sg = q->first;
		if (sg == NULL)
			return NULL;
		q->first = sg->next;
		if (sg->next == NULL)
			q->last = NULL;
		else
			sg->next->prev = NULL;
		sg->next = NULL;
		/* A select woken through another channel has not yet taken
		 * its sudogs off the other queues: skip this one. */
		uint32_t unset = 0;
		if (sg->isselect &&
		    !__atomic_compare_exchange_n(&sg->g->selectdone, &unset, 1, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		return sg;
	}
}

void waitq_remove(struct waitq *q, struct sudog *sg)
{
	struct sudog *x = sg->prev, *y = sg->next;
	if (x == NULL && y == NULL && q->first != sg)
		return; /* already dequeued */
	if (x == NULL)
		q->first = y;
	else
		x->next = y;
	if (y == NULL)
		q->last = x;
	else
		y->prev = x;
	sg->next = sg->prev = NULL;
}

static void copy_value(void *dst, const void *src, size_t size)
{
	if (size == 0 || dst == NULL)
		return;
	/* The common element sizes as single moves: a call to memmove
	 * costs more than the rest of a hand-off under emulation. */
	switch (size) {
	case 4:
		memcpy(dst, src, 4);
		return;
	case 8:
		memcpy(dst, src, 8);
		return;
	case 16:
		memcpy(dst, src, 16);
		return;
	default:
		memmove(dst, src, size);
	}
}

void chan_zero(void *dst, size_t size)
{
	if (size != 0 && dst != NULL)
		memset(dst, 0, size);
}

static void *slot(struct hchan *c, size_t i)
{
	return c->buf + i * c->elemsize;
}

void chan_buf_put(struct hchan *c, const void *ep)
{
	copy_value(slot(c, c->sendx), ep, c->elemsize);
	if (++c->sendx == c->dataqsiz)
		c->sendx = 0;
	__atomic_store_n(&c->qcount, c->qcount + 1, __ATOMIC_RELAXED);
}

void chan_buf_get(struct hchan *c, void *ep)
{
	copy_value(ep, slot(c, c->recvx), c->elemsize);
	chan_zero(slot(c, c->recvx), c->elemsize);
	if (++c->recvx == c->dataqsiz)
		c->recvx = 0;
	__atomic_store_n(&c->qcount, c->qcount - 1, __ATOMIC_RELAXED);
}

struct g *chan_send_direct(struct hchan *c, struct sudog *sg, const void *ep)
{
	copy_value(sg->elem, ep, c->elemsize);
	sg->success = true;
	sg->g->param = sg;
	return sg->g;
}

struct g *chan_recv_direct(struct hchan *c, struct sudog *sg, void *ep)
{
	if (c->dataqsiz == 0) {
		copy_value(ep, sg->elem, c->elemsize);
	} else {
		/* The buffer is full: take its head, and the sender's value
		 * takes the freed slot, which becomes the tail. */
		copy_value(ep, slot(c, c->recvx), c->elemsize);
		copy_value(slot(c, c->recvx), sg->elem, c->elemsize);
		if (++c->recvx == c->dataqsiz)
			c->recvx = 0;
		c->sendx = c->recvx;
	}
	sg->success = true;
	sg->g->param = sg;
	return sg->g;
}

chan_t *chan_make(size_t elemsize, size_t cap)
{
	size_t bufsize, total;
	if (__builtin_mul_overflow(elemsize, cap, &bufsize) ||
	    __builtin_add_overflow(bufsize, sizeof(struct hchan), &total) ||
	    total > (size_t)1 << 47)
		gopanic_string("makechan: size out of range");
	struct hchan *c = gort_new(total);
	c->elemsize = elemsize;
	c->dataqsiz = cap;
	c->buf = (unsigned char *)(c + 1);
	return c;
}

static bool chanparkcommit(struct g *gp, void *lock)
{
	(void)gp;
	spin_unlock(lock);
	return true;
}

/* Parks the running goroutine on queue q of c (its send or receive queue)
 * with elem as the value's place, c->lock held (interrupts off) and
 * released by the park; returns whether the operation completed (false:
 * c was closed under it, Go's sudog.success). Interrupts still off. */
static bool chanblock(struct hchan *c, struct waitq *q, void *elem, const char *reason)
{
	struct g *gp = getg();
	struct sudog mysg = {.g = gp, .elem = elem, .c = c};
	gp->waiting = &mysg;
	gp->param = NULL;
	waitq_enqueue(q, &mysg);
	gopark(chanparkcommit, &c->lock, reason);
	gp->waiting = NULL;
	gp->param = NULL;
	return mysg.success;
}

/* Parks the running goroutine forever: the nil channel. */
static _Noreturn void block_forever(const char *reason)
{
	arch_irq_save();
	gopark(NULL, NULL, reason);
	throw("unreachable");
}

/* Go's chansend: returns whether the value was sent; only a non-blocking
 * send returns false. */
static bool chansend(struct hchan *c, const void *ep, bool block)
{
	if (c == NULL) {
		if (!block)
			return false;
		block_forever("chan send (nil chan)");
	}

	unsigned long flags = spin_lock_irqsave(&c->lock);
	if (c->closed) {
		spin_unlock_irqrestore(&c->lock, flags);
		gopanic_string("send on closed channel");
	}
	struct sudog *sg = waitq_dequeue(&c->recvq);
	if (sg != NULL) {
		struct g *gp = chan_send_direct(c, sg, ep);
		spin_unlock(&c->lock);
		goready(gp);
		arch_irq_restore(flags);
		return true;
	}
	if (c->qcount < c->dataqsiz) {
		chan_buf_put(c, ep);
		spin_unlock_irqrestore(&c->lock, flags);
		return true;
	}
	if (!block) {
		spin_unlock_irqrestore(&c->lock, flags);
		return false;
	}

	bool sent = chanblock(c, &c->sendq, (void *)ep, "chan send");
	arch_irq_restore(flags);
	if (!sent)
		gopanic_string("send on closed channel");
	return true;
}

/* Go's chanrecv: returns whether a receive happened; *received says
 * whether it was a value (true) or a closed channel's zero value. */
static bool chanrecv(struct hchan *c, void *ep, bool block, bool *received)
{
	*received = false;
	if (c == NULL) {
		if (!block)
			return false;
		block_forever("chan receive (nil chan)");
	}

	unsigned long flags = spin_lock_irqsave(&c->lock);
	if (c->closed && c->qcount == 0) {
		spin_unlock_irqrestore(&c->lock, flags);
		chan_zero(ep, c->elemsize);
		return true;
	}
	struct sudog *sg = waitq_dequeue(&c->sendq);
	if (sg != NULL) {
		struct g *gp = chan_recv_direct(c, sg, ep);
		spin_unlock(&c->lock);
		goready(gp);
		arch_irq_restore(flags);
		*received = true;
		return true;
	}
	if (c->qcount > 0) {
		chan_buf_get(c, ep);
		spin_unlock_irqrestore(&c->lock, flags);
		*received = true;
		return true;
	}
	if (!block) {
		spin_unlock_irqrestore(&c->lock, flags);
		return false;
	}

	*received = chanblock(c, &c->recvq, ep, "chan receive");
	arch_irq_restore(flags);
	return true;
}

void chan_send(chan_t *c, const void *elem)
{
	chansend(c, elem, true);
}

bool chan_recv(chan_t *c, void *elem)
{
	bool received;
	chanrecv(c, elem, true, &received);
	return received;
}

bool chan_trysend(chan_t *c, const void *elem)
{
	return chansend(c, elem, false);
}

bool chan_tryrecv(chan_t *c, void *elem, bool *ok)
{
	bool received;
	bool selected = chanrecv(c, elem, false, &received);
	if (ok != NULL)
		*ok = received;
	return selected;
}

void chan_close(chan_t *c)
{
	if (c == NULL)
		gopanic_string("close of nil channel");

	unsigned long flags = spin_lock_irqsave(&c->lock);
	if (c->closed) {
		spin_unlock_irqrestore(&c->lock, flags);
		gopanic_string("close of closed channel");
	}
	c->closed = true;

	/* Collect every waiter (linked through schedlink, which is ours
	 * while they are off every queue and parked), then wake them
	 * without the lock. */
	struct g *wake = NULL;
	struct sudog *sg;
	while ((sg = waitq_dequeue(&c->recvq)) != NULL) {
		chan_zero(sg->elem, c->elemsize);
		sg->elem = NULL;
		sg->success = false;
		sg->g->param = sg;
		sg->g->schedlink = wake;
		wake = sg->g;
	}
	while ((sg = waitq_dequeue(&c->sendq)) != NULL) {
		sg->elem = NULL;
		sg->success = false;
		sg->g->param = sg;
		sg->g->schedlink = wake;
		wake = sg->g;
	}
	spin_unlock(&c->lock);
	while (wake != NULL) {
		struct g *gp = wake;
		wake = gp->schedlink;
		gp->schedlink = NULL;
		goready(gp);
	}
	arch_irq_restore(flags);
}

size_t chan_len(chan_t *c)
{
	if (c == NULL)
		return 0;
	return __atomic_load_n(&c->qcount, __ATOMIC_RELAXED);
}

size_t chan_cap(chan_t *c)
{
	if (c == NULL)
		return 0;
	return c->dataqsiz;
}
