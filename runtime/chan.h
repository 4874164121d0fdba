/*
 * The channel and the wait record, shared by chan.c, select.c and sema.c
 * (Go's hchan, waitq and sudog; see chan.c for the algorithm).
 */
#ifndef GORT_RUNTIME_CHAN_H
#define GORT_RUNTIME_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/spinlock.h"

struct g;
struct hchan;

/*
 * A goroutine waiting in a channel's queue, a select, a semaphore or a
 * Cond. It lives in the waiting goroutine's stack frame (stacks never
 * move), so it costs no allocation (a large select allocates its array of
 * them); it is written under the lock of the queue that holds it, and by
 * the waker that took it off that queue before goready.
 */
struct sudog {
	struct g *g;
	struct sudog *next, *prev; /* channel queue, semaphore root list, Cond list */
	void *elem;                /* the value sent or the receive buffer (may be NULL) */
	struct hchan *c;           /* the channel (select: the case's) */
	bool isselect;             /* g waits in a select: a waker must win g->selectdone */
	bool success;              /* written by the waker: a value passed, not a close */
	struct sudog *waitlink;    /* g->waiting list (select), or same-address semaphore waiters */
	struct sudog *waittail;    /* semaphore: the last of this root's waitlink list */
	uint32_t ticket;           /* semaphore: 1 = handed off; Cond: the notify ticket */
};

/* A FIFO of sudogs, under its channel's lock. */
struct waitq {
	struct sudog *first, *last;
};

/* A channel. qcount is read without the lock by chan_len (atomically);
 * everything else is under lock. */
struct hchan {
	struct spinlock lock; /* taken with spin_lock_irqsave (interrupt handlers send) */
	size_t qcount;        /* values in the buffer */
	size_t dataqsiz;      /* the buffer's capacity in values (cap) */
	size_t elemsize;
	unsigned char *buf; /* dataqsiz * elemsize bytes, right after the hchan */
	size_t sendx;       /* the buffer slot the next send fills */
	size_t recvx;       /* the buffer slot the next receive empties */
	bool closed;
	struct waitq recvq; /* blocked receivers */
	struct waitq sendq; /* blocked senders */
};

/* Appends sg to q. */
void waitq_enqueue(struct waitq *q, struct sudog *sg);
/* Removes and returns the first sudog of q whose goroutine may be woken (a
 * select's sudog only if this caller wins its select), or NULL. */
struct sudog *waitq_dequeue(struct waitq *q);
/* Removes sg from q if it is still there. */
void waitq_remove(struct waitq *q, struct sudog *sg);

/*
 * The steps of a channel operation, shared by chan.c and select.c; all run
 * with c->lock held and interrupts off.
 *
 * chan_send_direct hands *ep to the receiver sg (just dequeued from
 * c->recvq) and chan_recv_direct takes the sender sg's value (just
 * dequeued from c->sendq; through the buffer's head if c is buffered and
 * full). Both return the goroutine to goready once the caller has released
 * its locks.
 */
struct g *chan_send_direct(struct hchan *c, struct sudog *sg, const void *ep);
struct g *chan_recv_direct(struct hchan *c, struct sudog *sg, void *ep);
/* Puts *ep at the buffer's tail (qcount < dataqsiz). */
void chan_buf_put(struct hchan *c, const void *ep);
/* Moves the buffer's head to ep (which may be NULL; qcount > 0). */
void chan_buf_get(struct hchan *c, void *ep);
/* Zeroes size bytes at dst unless dst is NULL (a closed channel's value). */
void chan_zero(void *dst, size_t size);

#endif
