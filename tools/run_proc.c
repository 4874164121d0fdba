/*
 * run_proc.c - spawning process-group leaders and the signal self-pipe (see run_proc.h).
 *
 * The child side of proc_spawn undoes what the runner set up for itself before it execs:
 * handlers and the ignored SIGPIPE go back to their defaults and the signal mask is
 * cleared (gort-test, for one, starts runners with signals blocked), so QEMU sees the
 * signal environment it would have had from a shell.
 */
#define _GNU_SOURCE
#include "tools/run_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static int self_pipe[2] = {-1, -1};
static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD};

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(self_pipe[1], &b, 1) < 0) {
		/* The pipe is full: the loop has plenty of wake-ups pending already. */
	}
	errno = saved;
}

int proc_signals_init(void)
{
	struct sigaction sa;
	sigset_t all;

	if (pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		sigaction(caught[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&all);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGHUP);
	sigaddset(&all, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	return self_pipe[0];
}

pid_t proc_spawn(char *const argv[], int fd0, int fd1, int fd2)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	sigset_t none;

	if (pid != 0) {
		if (pid > 0)
			setpgid(pid, pid); /* also done by the child; whichever runs first wins */
		return pid;
	}
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127); /* the runner died before prctl took effect */
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		signal(caught[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(fd0, 0) < 0 || dup2(fd1, 1) < 0 || dup2(fd2, 2) < 0)
		_exit(127);
	execvp(argv[0], argv);
	dprintf(2, "gort-run: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

double proc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
