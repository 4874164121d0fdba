/*
 * GODEBUG=asyncpreemptoff=1 turns preemption off: with GOMAXPROCS=1 a
 * goroutine that never yields keeps the only p, main never runs again,
 * and sched_preempt_spin.c's watchdog ends the machine with status 3
 * instead of a hang.
 *
 * cmdline: GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-exit: 3
 * expect-line: spinner started
 * expect-line: watchdog: main starved by a goroutine that never yields
 * expect-not-contains: main ran again
 */
#include "sched_preempt_spin.c"
