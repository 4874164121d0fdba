/*
 * run_proc.h - child processes and signals for gort-run.
 *
 * gort-run starts two kinds of children, QEMU and addr2line, the same way: each leads its
 * own process group (so a timeout can kill QEMU with everything it started, and a
 * terminal's Ctrl-C reaches only the runner, which decides what to forward), and each
 * dies with the runner (PR_SET_PDEATHSIG), so no QEMU outlives a runner killed by a test
 * harness's watchdog.
 *
 * Signals reach the runner's event loop through a self-pipe: the handlers for SIGINT,
 * SIGTERM, SIGHUP and SIGCHLD only write the signal number into it, and the loop polls its
 * read end next to QEMU's output. SIGPIPE is ignored (a closed stdout or a dead addr2line
 * shows up as a write error instead).
 */
#ifndef GORT_TOOLS_RUN_PROC_H
#define GORT_TOOLS_RUN_PROC_H

#include <sys/types.h>

/* Install the handlers; returns the self-pipe's read end (non-blocking), or -1. */
int proc_signals_init(void);

/* Start argv[0] (searched in PATH) with the given descriptors as its stdin, stdout and
 * stderr, in a new process group whose id is the returned pid; -1 if fork fails. If exec
 * fails, the child reports it on fd2 and exits with status 127. */
pid_t proc_spawn(char *const argv[], int fd0, int fd1, int fd2);

/* Seconds on the monotonic clock. */
double proc_now(void);

#endif
