/*
 * Channels, in C: Go's chan T with the element size given at make time.
 * A chan_t * is a channel value (NULL is the nil channel); a value is sent
 * by copying elemsize bytes from the caller's memory and received by
 * copying them into it. Go's documentation of the corresponding operation
 * is the contract, panics and blocking included: sending on a closed
 * channel panics, closing a closed or nil channel panics, and sending to or
 * receiving from the nil channel blocks forever.
 */
#ifndef GORT_CHAN_H
#define GORT_CHAN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hchan chan_t;

/* make(chan T, cap) with sizeof(T) == elemsize; panics with "makechan:
 * size out of range" if the buffer's size overflows. */
chan_t *chan_make(size_t elemsize, size_t cap);

/* c <- *elem: blocks until a receiver takes the value or the buffer has
 * room. */
void chan_send(chan_t *c, const void *elem);

/* v, ok := <-c: blocks until a value arrives (copied to elem, which may be
 * NULL to discard it) and returns true, or until c is closed and drained:
 * then elem is zeroed and the result is false. */
bool chan_recv(chan_t *c, void *elem);

/* select { case c <- *elem: return true; default: return false } */
bool chan_trysend(chan_t *c, const void *elem);

/* select { case v, ok := <-c: ...; default: }: returns whether the receive
 * happened (a value, or the zero value of a closed channel); *ok (if ok is
 * not NULL) says which, as chan_recv's result does. */
bool chan_tryrecv(chan_t *c, void *elem, bool *ok);

/* close(c). */
void chan_close(chan_t *c);

/* len(c), cap(c): 0 for the nil channel. */
size_t chan_len(chan_t *c);
size_t chan_cap(chan_t *c);

/* The direction of a select case. */
enum chan_dir {
	CHAN_SEND = 1, /* case c <- *elem */
	CHAN_RECV = 2, /* case *elem, ok = <-c (elem may be NULL) */
};

/* One case of chan_select. A case whose c is NULL is never ready. */
typedef struct {
	chan_t *c;
	enum chan_dir dir;
	void *elem; /* the value to send, or where to receive (may be NULL) */
	bool ok;    /* set for the chosen receive: false if c was closed */
} chan_case_t;

/* select over cases[0..n): when one or more cases can proceed, one of them
 * chosen uniformly at random does, and its index is returned. If none can,
 * chan_select blocks until one can when block is true (with n == 0 it
 * blocks forever, as select {} does) and returns -1 at once when block is
 * false (the default case). A chosen send on a closed channel panics. */
int chan_select(chan_case_t *cases, int n, bool block);

#endif
