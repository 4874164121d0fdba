/*
 * Semaphores and notify lists for package sync (Go's runtime/sema.go):
 * see sema.c.
 */
#ifndef GORT_RUNTIME_SEMA_H
#define GORT_RUNTIME_SEMA_H

#include <stdbool.h>
#include <stdint.h>

#include <gort/sync.h>

/* Waits until *addr > 0, then decrements it (Go's semacquire1). lifo puts
 * the goroutine at the head of the address's waiters (a Mutex waiter that
 * was woken and lost the race); reason is its wait reason. Interrupts on. */
void semacquire(uint32_t *addr, bool lifo, const char *reason);

/* Increments *addr and wakes one waiter, if any (Go's semrelease1). With
 * handoff, the count goes straight to the woken waiter and the caller
 * yields the CPU to it (a starving Mutex). Interrupts on. */
void semrelease(uint32_t *addr, bool handoff);

/* Go's notifyList: notifyListAdd takes a ticket (before the Cond's lock is
 * released), notifyListWait parks until that ticket is notified, and
 * notifyListNotifyOne/All notify the oldest ticket / every ticket taken
 * so far. Interrupts on. */
uint32_t notifyListAdd(sync_notifyList *l);
void notifyListWait(sync_notifyList *l, uint32_t t);
void notifyListNotifyOne(sync_notifyList *l);
void notifyListNotifyAll(sync_notifyList *l);

#endif
