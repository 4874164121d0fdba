/*
 * Package sync, in C: Mutex, RWMutex, WaitGroup, Once and Cond with Go's
 * algorithms and contracts (Go's documentation of sync.X documents
 * sync_X). The zero value of each is ready to use, except that a Cond
 * needs its L set (sync_NewCond, or a designated initializer). None may be
 * copied after first use. The fields are the implementation's; programs
 * use the functions only.
 */
#ifndef GORT_SYNC_H
#define GORT_SYNC_H

#include <stdbool.h>
#include <stdint.h>

struct sudog;

/* sync.Mutex. */
typedef struct {
	int32_t state; /* atomic: locked, woken, starving bits and the waiter count */
	uint32_t sema; /* the semaphore waiters sleep on (runtime/sema.c) */
} sync_Mutex;

void sync_Mutex_Lock(sync_Mutex *m);
bool sync_Mutex_TryLock(sync_Mutex *m);
/* Unlocking an unlocked Mutex is the fatal error "sync: unlock of unlocked
 * mutex". A Mutex is not tied to a goroutine: another one may unlock it. */
void sync_Mutex_Unlock(sync_Mutex *m);

/* sync.RWMutex. */
typedef struct {
	sync_Mutex w;        /* held while a writer is pending or active */
	uint32_t writerSem;  /* a writer waits here for the readers to leave */
	uint32_t readerSem;  /* readers wait here for the writer to leave */
	int32_t readerCount; /* atomic: active readers, minus 1<<30 while a writer is pending */
	int32_t readerWait;  /* atomic: readers the pending writer still waits for */
} sync_RWMutex;

void sync_RWMutex_Lock(sync_RWMutex *rw);
bool sync_RWMutex_TryLock(sync_RWMutex *rw);
void sync_RWMutex_Unlock(sync_RWMutex *rw);
void sync_RWMutex_RLock(sync_RWMutex *rw);
bool sync_RWMutex_TryRLock(sync_RWMutex *rw);
void sync_RWMutex_RUnlock(sync_RWMutex *rw);

/* sync.WaitGroup. */
typedef struct {
	uint64_t state; /* atomic: the counter in the high 32 bits, waiters in the low 32 */
	uint32_t sema;  /* waiters sleep here */
} sync_WaitGroup;

/* A negative counter panics with "sync: negative WaitGroup counter". */
void sync_WaitGroup_Add(sync_WaitGroup *wg, int delta);
void sync_WaitGroup_Done(sync_WaitGroup *wg);
void sync_WaitGroup_Wait(sync_WaitGroup *wg);

/* sync.Once. */
typedef struct {
	uint32_t done; /* atomic: fn has returned */
	sync_Mutex m;  /* serializes the first calls */
} sync_Once;

/* Calls fn(arg) if and only if Do is called for the first time for o; no
 * call returns before that fn(arg) has returned. */
void sync_Once_Do(sync_Once *o, void (*fn)(void *arg), void *arg);

/* The runtime's notifyList (runtime/sema.c): the goroutines waiting on a
 * Cond, each with a ticket. */
typedef struct {
	uint32_t wait;   /* atomic: the ticket of the next waiter */
	uint32_t notify; /* atomic: the ticket of the next to notify; written under lock */
	uint32_t lock;   /* a struct spinlock (kernel/spinlock.h) */
	struct sudog *head, *tail; /* the parked waiters, under lock */
} sync_notifyList;

/* sync.Cond with a *Mutex as its Locker. */
typedef struct {
	sync_Mutex *L;          /* held while observing or changing the condition */
	sync_notifyList notify; /* the waiters */
	uintptr_t checker;      /* atomic: the Cond's own address, to detect copies */
} sync_Cond;

/* A Cond (garbage collected) with L set to l. */
sync_Cond *sync_NewCond(sync_Mutex *l);
/* Unlocks c->L, waits for Signal or Broadcast, locks c->L again. Using a
 * Cond that was copied after first use panics with "sync.Cond is copied". */
void sync_Cond_Wait(sync_Cond *c);
void sync_Cond_Signal(sync_Cond *c);
void sync_Cond_Broadcast(sync_Cond *c);

#endif
