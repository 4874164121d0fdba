/*
 * run_qemu.c - QEMU command lines and the supervised run (see run_qemu.h).
 *
 * The command line, per arch (QEMU 7.2):
 *
 *   qemu-system-<arch> -nodefaults -no-user-config -M <machine> -accel <tcg|kvm> [-cpu ..]
 *     -smp N -m MEM -display none -chardev stdio,id=con,signal=off -serial chardev:con
 *     -no-reboot <exit device> -kernel IMAGE [-initrd INITRD] [-append CMDLINE]
 *
 * -nodefaults drops the NIC, VGA and drives QEMU adds by default: nothing boots from them,
 * and without them the firmware prints nothing on the serial line (with -nographic,
 * SeaBIOS and iPXE fill it with escape codes and banners). The console is the first serial
 * port on QEMU's stdout, which is the runner's pipe; QEMU's stdin is /dev/null and
 * signal=off keeps a stray ^C byte from meaning anything. -no-reboot turns a guest reset
 * (a Linux panic with panic=-1, a triple fault) into QEMU's exit.
 *
 * CPUs. x86_64 under TCG uses -cpu max: it starts without warnings and offers pdpe1gb,
 * but QEMU 7.2's TCG implements neither x2APIC, TSC-deadline nor invariant TSC under any
 * CPU model (asking for them only prints "TCG doesn't support requested feature"), so
 * the guest must use the xAPIC and calibrate its timer. x86_64 under KVM uses -cpu host
 * minus arch-capabilities, because some nested KVMs refuse to set that MSR ("failed to set
 * MSR 0x10a"). aarch64 uses -cpu max (hardware dirty bits, see FACTS.md); riscv64 QEMU's
 * default rv64. --cpu (qemu_config.cpu) replaces the default: cortex-a72 is the aarch64
 * without hardware dirty state, whose write tracking takes faults.
 *
 * Exit devices: isa-debug-exit on x86_64 (status (N << 1) | 1, so the runner trusts the
 * exit record instead), semihosting on aarch64, and on riscv64 the sifive_test device that
 * virt always has.
 *
 * The run loop polls three descriptors: QEMU's stdout (to the console), its stderr (kept,
 * capped, for the failure report) and the signal self-pipe (SIGCHLD: reap; SIGINT, SIGTERM,
 * SIGHUP: pass on to QEMU's group, and SIGKILL it if it has not ended two seconds later).
 * The poll timeout is the time limit, after which QEMU's group gets SIGKILL. QEMU is only
 * ever signalled before it is reaped, so a recycled pid is never hit. The loop ends once
 * QEMU is reaped and both pipes are drained.
 *
 * One QEMU failure does not end QEMU: when KVM cannot run the guest any further (an
 * instruction its emulator does not know, a failed VM entry), QEMU prints the error and a
 * register dump, stops the VM and waits for a monitor command that never comes. The
 * runner recognizes the messages on QEMU's stderr (stopped_markers), gives QEMU a moment to
 * finish the dump and kills it, instead of waiting for the time limit.
 */
#define _GNU_SOURCE
#include "tools/host.h"
#include "tools/run_qemu.h"

#include "tools/run_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
	STDERR_CAP = 64 * 1024, /* QEMU stderr bytes kept for the report */
	READ_CHUNK = 64 * 1024,
};

static const double interrupt_grace = 2.0; /* seconds QEMU gets to end after SIGINT/TERM */
static const double stopped_grace = 0.2;   /* seconds to finish the dump of a stopped VM */
static const double never = 1e300;         /* a deadline that is not set */

static const struct arch_info {
	const char *name;
	const char *qemu;
	const char *machines[3]; /* the first is the default */
	const char *tcg_cpu;     /* NULL: QEMU's default for the machine */
	const char *kvm_cpu;
	const char *exit_device[3]; /* extra arguments, NULL-terminated */
} arches[ARCH_COUNT] = {
    [ARCH_X86_64] = {"x86_64",
		     "qemu-system-x86_64",
		     {"q35", "microvm", NULL},
		     "max",
		     "host,-arch-capabilities",
		     {"-device", "isa-debug-exit,iobase=0xf4,iosize=4", NULL}},
    [ARCH_AARCH64] = {"aarch64",
		      "qemu-system-aarch64",
		      {"virt", NULL, NULL},
		      "max",
		      "host",
		      {"-semihosting-config", "enable=on,target=native", NULL}},
    [ARCH_RISCV64] =
	{"riscv64", "qemu-system-riscv64", {"virt", NULL, NULL}, NULL, "host", {NULL, NULL, NULL}},
};

/* QEMU 7.2's messages (accel/kvm/kvm-all.c, target/i386/kvm/kvm.c) before it stops the VM in
 * RUN_STATE_INTERNAL_ERROR. */
static const char *const stopped_markers[] = {
    "KVM internal error",
    "KVM: entry failed",
    "error: kvm run failed",
};

/* The Linux benchmark guest's fixed command line; the user's is appended. */
static const char linux_cmdline[] = "console=ttyS0 panic=-1 quiet";

bool qemu_arch_parse(const char *name, enum qemu_arch *arch)
{
	for (int i = 0; i < ARCH_COUNT; i++) {
		if (strcmp(name, arches[i].name) == 0) {
			*arch = (enum qemu_arch)i;
			return true;
		}
	}
	return false;
}

const char *qemu_arch_name(enum qemu_arch arch)
{
	return arches[arch].name;
}

const char *qemu_default_machine(enum qemu_arch arch)
{
	return arches[arch].machines[0];
}

bool qemu_machine_supported(enum qemu_arch arch, const char *machine)
{
	size_t n = strcspn(machine, ",");

	for (int i = 0; arches[arch].machines[i] != NULL; i++) {
		const char *m = arches[arch].machines[i];
		if (strlen(m) == n && strncmp(machine, m, n) == 0)
			return true;
	}
	return false;
}

static void add(struct qemu_args *a, const char *arg)
{
	if (a->argc < QEMU_ARGS_MAX)
		a->argv[a->argc++] = (char *)arg;
	a->argv[a->argc] = NULL;
}

static void add2(struct qemu_args *a, const char *opt, const char *val)
{
	add(a, opt);
	add(a, val);
}

void qemu_args_build(struct qemu_args *a, const struct qemu_config *cfg)
{
	const struct arch_info *ai = &arches[cfg->arch];
	const char *cpu = cfg->accel == ACCEL_KVM ? ai->kvm_cpu : ai->tcg_cpu;
	bool has_cmdline = cfg->cmdline != NULL && cfg->cmdline[0] != '\0';

	memset(a, 0, sizeof *a);
	a->smp = xasprintf("%d", cfg->smp);
	if (cfg->linux_mode)
		a->append = xasprintf("%s%s%s", linux_cmdline, has_cmdline ? " " : "",
				      has_cmdline ? cfg->cmdline : "");
	else if (has_cmdline)
		a->append = xasprintf("%s", cfg->cmdline);

	add(a, ai->qemu);
	add(a, "-nodefaults");
	add(a, "-no-user-config");
	add2(a, "-M", cfg->machine != NULL ? cfg->machine : ai->machines[0]);
	add2(a, "-accel", accel_name(cfg->accel));
	if (cfg->cpu != NULL)
		cpu = cfg->cpu;
	if (cpu != NULL)
		add2(a, "-cpu", cpu);
	add2(a, "-smp", a->smp);
	add2(a, "-m", cfg->mem);
	add2(a, "-display", "none");
	add2(a, "-chardev", "stdio,id=con,signal=off");
	add2(a, "-serial", "chardev:con");
	add(a, "-no-reboot");
	for (int i = 0; !cfg->linux_mode && ai->exit_device[i] != NULL; i++)
		add(a, ai->exit_device[i]);
	add2(a, "-kernel", cfg->kernel);
	if (cfg->initrd != NULL)
		add2(a, "-initrd", cfg->initrd);
	if (a->append != NULL)
		add2(a, "-append", a->append);
}

void qemu_args_free(struct qemu_args *a)
{
	free(a->smp);
	free(a->append);
	a->smp = a->append = NULL;
}

/* The state of one run, shared by the loop's helpers. */
struct run {
	pid_t pid;
	bool reaped;
	int wait_status;
	double t0, ended;
	double kill_at;      /* time limit; never for none or once it has fired */
	double hard_kill_at; /* QEMU is being ended: SIGKILL if it is still there then */
	bool timed_out;
	bool vm_stopped; /* QEMU stopped the guest on a KVM error */
	int interrupt;
};

static void kill_group(struct run *s, int sig)
{
	if (!s->reaped)
		kill(-s->pid, sig);
}

static void on_signals(struct run *s, int sigfd)
{
	unsigned char sigs[64];
	ssize_t n;

	while ((n = read(sigfd, sigs, sizeof sigs)) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (sigs[i] == SIGCHLD) {
				if (!s->reaped &&
				    waitpid(s->pid, &s->wait_status, WNOHANG) == s->pid) {
					s->reaped = true;
					if (!s->timed_out)
						s->ended = proc_now();
				}
			} else if (s->interrupt == 0) {
				s->interrupt = sigs[i];
				kill_group(s, sigs[i]);
				s->kill_at = never;
				s->hard_kill_at = proc_now() + interrupt_grace;
			}
		}
	}
}

static void on_deadlines(struct run *s)
{
	double now = proc_now();

	if (now >= s->kill_at) {
		kill_group(s, SIGKILL);
		s->timed_out = true;
		s->ended = now;
		s->kill_at = never;
	}
	if (now >= s->hard_kill_at) {
		kill_group(s, SIGKILL);
		s->hard_kill_at = never;
	}
}

static int poll_timeout_ms(const struct run *s)
{
	double next = s->kill_at < s->hard_kill_at ? s->kill_at : s->hard_kill_at;
	double ms;

	if (next >= never || s->reaped)
		return -1;
	ms = (next - proc_now()) * 1000 + 1; /* round up: wake at or after the deadline */
	return ms < 0 ? 0 : ms > 1e9 ? 1000000000 : (int)ms;
}

/* check_stopped looks for the messages of a VM that QEMU has stopped for good. */
static void check_stopped(struct run *s, const struct qemu_result *r)
{
	for (size_t i = 0; !s->vm_stopped && i < sizeof stopped_markers / sizeof stopped_markers[0];
	     i++) {
		if (strstr(r->stderr_text, stopped_markers[i]) != NULL) {
			s->vm_stopped = true;
			if (s->hard_kill_at >= never)
				s->hard_kill_at = proc_now() + stopped_grace;
		}
	}
}

/* drain reads what fd has; returns false at end of file. */
static bool drain(int fd, char *buf, struct console *con, struct run *s, struct qemu_result *r)
{
	ssize_t n = read(fd, buf, READ_CHUNK);

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (con != NULL) {
		console_feed(con, buf, (size_t)n, proc_now() - s->t0);
		return true;
	}
	size_t keep = STDERR_CAP - r->stderr_len;
	if ((size_t)n < keep)
		keep = (size_t)n;
	memcpy(r->stderr_text + r->stderr_len, buf, keep);
	r->stderr_len += keep;
	r->stderr_text[r->stderr_len] = '\0';
	check_stopped(s, r);
	return true;
}

static void fill_result(const struct run *s, struct qemu_result *r)
{
	r->seconds = s->ended - s->t0;
	if (s->interrupt != 0) {
		r->end = QEMU_INTERRUPTED;
		r->interrupt = s->interrupt;
	} else if (s->timed_out) {
		r->end = QEMU_TIMED_OUT;
	} else if (s->vm_stopped) {
		r->end = QEMU_STOPPED;
	} else if (WIFSIGNALED(s->wait_status)) {
		r->end = QEMU_SIGNALED;
		r->status = WTERMSIG(s->wait_status);
	} else {
		r->end = QEMU_EXITED;
		r->status = WEXITSTATUS(s->wait_status);
	}
}

static void not_started(struct qemu_result *r, const char *what)
{
	r->end = QEMU_NOT_STARTED;
	r->stderr_len =
	    (size_t)snprintf(r->stderr_text, STDERR_CAP + 1, "%s: %s\n", what, strerror(errno));
}

void qemu_run(char *const argv[], double timeout, int sigfd, struct console *con,
	      struct qemu_result *r)
{
	struct run s = {.kill_at = never, .hard_kill_at = never};
	int out[2], err[2], null;
	char *buf;

	memset(r, 0, sizeof *r);
	r->stderr_text = malloc(STDERR_CAP + 1);
	buf = malloc(READ_CHUNK);
	if (r->stderr_text == NULL || buf == NULL) {
		perror("gort-run");
		exit(125);
	}
	r->stderr_text[0] = '\0';
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0) {
		not_started(r, "/dev/null");
		free(buf);
		return;
	}
	if (pipe2(out, O_CLOEXEC) != 0) {
		not_started(r, "pipe");
		close(null);
		free(buf);
		return;
	}
	if (pipe2(err, O_CLOEXEC) != 0) {
		not_started(r, "pipe");
		close(out[0]);
		close(out[1]);
		close(null);
		free(buf);
		return;
	}
	s.t0 = proc_now();
	s.pid = proc_spawn(argv, null, out[1], err[1]);
	close(null);
	close(out[1]);
	close(err[1]);
	if (s.pid < 0) {
		not_started(r, "fork");
		close(out[0]);
		close(err[0]);
		free(buf);
		return;
	}
	if (timeout > 0)
		s.kill_at = s.t0 + timeout;

	struct pollfd fds[3] = {
	    {sigfd, POLLIN, 0},
	    {out[0], POLLIN, 0},
	    {err[0], POLLIN, 0},
	};
	while (!s.reaped || fds[1].fd >= 0 || fds[2].fd >= 0) {
		on_deadlines(&s);
		if (poll(fds, 3, poll_timeout_ms(&s)) < 0 && errno != EINTR)
			break;
		if (fds[0].revents != 0)
			on_signals(&s, sigfd);
		for (int i = 1; i < 3; i++) {
			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			if (!drain(fds[i].fd, buf, i == 1 ? con : NULL, &s, r)) {
				close(fds[i].fd);
				fds[i].fd = -1; /* poll ignores negative descriptors */
			}
		}
	}
	for (int i = 1; i < 3; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	if (!s.reaped) {
		/* poll failed: make sure QEMU is gone, then collect it */
		kill_group(&s, SIGKILL);
		while (waitpid(s.pid, &s.wait_status, 0) < 0 && errno == EINTR) {
		}
		s.ended = proc_now();
	}
	fill_result(&s, r);
	free(buf);
}
