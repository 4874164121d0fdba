/*
 * A host stand-in for the scheduler (runtime/proc.h), for unit tests of
 * code that blocks goroutines (sched_host.c): goroutines are ucontext
 * coroutines on one host thread, run one at a time from a run queue, so a
 * test is deterministic for a given seed. gopark and goready keep proc.h's
 * contract (unlockf runs after the goroutine's context is saved); panics
 * and fatal errors end the goroutine that raised them and are recorded.
 */
#ifndef GORT_TESTS_UNIT_HOST_SCHED_HOST_H
#define GORT_TESTS_UNIT_HOST_SCHED_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/proc.h"

/* Starts fn(arg) as a new goroutine (runnable, not yet running). */
struct g *host_go(void (*fn)(void *arg), void *arg);

/* Runs goroutines until none is runnable; returns how many are still
 * parked (a deadlock if the test expected them all to finish). With
 * host_sched_random set, the next goroutine is picked at random from the
 * run queue instead of first-in first-out. */
int host_run(void);
extern bool host_sched_random;

/* The value runtime_GOMAXPROCS reports (1 unless a test changes it). */
extern int host_gomaxprocs;

/* The last panic or fatal error: its message and kind ("panic" or "fatal
 * error"), and how many there were since the last host_reset. */
extern char host_panic_msg[128];
extern const char *host_panic_kind;
extern int host_panics;

/* Frees the goroutines that finished or died; parked ones are abandoned.
 * Clears the panic record. */
void host_reset(void);

/* The wait reason of a parked goroutine, NULL if it is not parked. */
const char *host_waitreason(struct g *gp);

/* nanotime() on the host: a fake clock that advances 100 us at every
 * goroutine switch. */
uint64_t nanotime(void);

#endif
