/*
 * gort-test: the test harness behind `make test`.
 *
 *   gort-test --runner build/tools/gort-run --build build --arches "x86_64 aarch64 riscv64"
 *             --jobs N [--filter TEXT] [--runner-args ARGS] [--arch-runner-args ARCH ARGS]
 *             [--unit build/unit/a_test ...] [--] tests/qemu/hello.c ...
 *
 * QEMU tests. Each source tests/qemu/<name>.c states in its leading comment
 * how to boot it and what a passing run prints (the directive language of
 * test_directives.h). For every arch the test applies to, and once more per
 * variant, the harness makes a job: boot BUILD/<arch>/tests/<name>.elf (built
 * beforehand by make) through the runner,
 *
 *   RUNNER --arch A --image ELF --timeout T --out BUILD/<arch>/tests/out/<name>
 *          [--cmdline ..] [--smp N] [--mem SIZE] [--runner-args] [--arch-runner-args]
 *          [runner-args directives] [variant arguments]
 *
 * with stdout and stderr in BUILD/<arch>/tests/log/<name>.{out,err}, then check
 * the exit status and both streams against the plan. A variant's files and
 * result are named <name>.<variant> and <name>/<variant>.
 *
 * Unit tests. Each --unit binary runs with stdout and stderr together in
 * BUILD/unit/log/<name>.log; exit status 0 is a pass.
 *
 * Selection. --arches limits the arches (a test's "arches:" directive narrows
 * them further); --filter TEXT keeps the jobs whose "<arch>/<name>[/<variant>]"
 * (unit tests: "unit/<name>") contains TEXT. --runner-args ARGS adds runner
 * arguments to every QEMU job, --arch-runner-args ARCH ARGS to that arch's
 * (for --accel or --calibration-image), before the test's own.
 *
 * Scheduling. Up to --jobs children run at once (default: online CPUs); QEMU
 * jobs first, in source order and each test on its arches in --arches order,
 * then unit jobs. Every
 * child leads its own process group, so the runner and the QEMU it starts can
 * be killed together: by the watchdog when a job outlives its timeout by 30 s
 * (units: WATCHDOG_UNIT s), when its runner exits (no stray QEMU survives a
 * job), and when the harness itself gets SIGINT, SIGTERM or SIGHUP (a
 * terminal's Ctrl-C reaches only the foreground group, which the children
 * are not in). The main loop keeps SIGCHLD and those signals blocked and
 * sleeps in sigtimedwait until a child changes state, a signal arrives or
 * the nearest watchdog deadline passes; a child is observed with WNOWAIT, its
 * group is killed while the zombie still pins the group id, and only then is
 * it reaped, so the harness can never signal a recycled process group.
 *
 * Output, on stdout, one line per result as jobs finish, names padded to one
 * column:
 *
 *   ok   x86_64   hello        0.31s
 *   FAIL aarch64  exit_status  1.20s: expected exit 7, got 2
 *        also: no stdout line contains "bye"
 *        stdout, last 20 of 31 lines (build/aarch64/tests/log/exit_status.out):
 *        | ...
 *
 * then "ARCH: N tests, S s" per arch (S sums the jobs' wall times), the unit
 * results and "unit: N tests, S s", and last exactly one line "N passed, N
 * failed". A test whose directives do not parse is one failure (arch "-")
 * and is not booted; a missing image or binary is a failure of its job.
 * Exit status: 0 iff nothing failed; 2 for a usage error; 128+signal when
 * interrupted.
 */
#define _GNU_SOURCE
#include "tools/host.h"
#include "test_directives.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
	WATCHDOG_GRACE = 30, /* seconds a runner may outlive its own --timeout */
	WATCHDOG_UNIT = 300, /* seconds a unit test may run */
	TAIL_LINES = 20,     /* lines of each stream shown for a failed QEMU job */
	TAIL_LINES_UNIT = 40 /* lines of output shown for a failed unit test */
};

/* One test source and what it says for each arch. */
struct test {
	const char *src;
	char *name;
	struct td_spec spec;
	struct td_plan plan[TD_NARCH]; /* valid for the arches the test runs on */
	char *error;                   /* why the source cannot be run, or NULL */
	bool wanted;                   /* error is to be reported: the name passes --filter */
};

enum job_kind { JOB_QEMU, JOB_UNIT };

/* One child to run: a test on one arch (in one variant), or a unit binary. */
struct job {
	enum job_kind kind;
	int arch;                   /* td_arch_name index; -1 for a unit test */
	char *label;                /* "hello", "hello/microvm" or the unit's name */
	char *image;                /* the guest ELF, or the unit binary */
	char *outdir;               /* runner --out; NULL for a unit test */
	char *log_out;              /* stdout (and a unit test's stderr) */
	char *log_err;              /* stderr; NULL for a unit test */
	const struct td_plan *plan; /* expectations; NULL for a unit test */
	struct td_list argv;        /* what to exec */
	int watchdog;               /* seconds before the group is killed */
	pid_t pid;                  /* while running; 0 otherwise */
	double start;               /* monotonic seconds at fork */
	int64_t started_unix;       /* host Unix time at fork */
	bool killed;                /* the watchdog fired */
};

static struct {
	const char *runner;
	const char *build;
	const char *filter;
	int arch[TD_NARCH]; /* --arches, in the order given */
	int narch;
	int jobs;
	struct td_list runner_args;                /* --runner-args, every arch */
	struct td_list arch_runner_args[TD_NARCH]; /* --arch-runner-args */
	struct td_list units;
	struct td_list sources;
} opt;

static int passed, failed;
static int arch_tests[TD_NARCH], unit_tests;
static double arch_secs[TD_NARCH], unit_secs;
static int name_width = 4;

static sigset_t wait_sigs; /* blocked in the harness, awaited with sigtimedwait */
static sigset_t orig_mask; /* restored in each child before exec */

/* plural names n tests in a total line. */
static const char *plural(int n)
{
	return n == 1 ? "test" : "tests";
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* read_file returns the whole file, NUL-terminated, or NULL with errno set. */
static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	for (;;) {
		if (!buf)
			die("out of memory");
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* mkdir_p creates dir and its parents; a failure shows up when a file in it is opened. */
static void mkdir_p(const char *dir)
{
	char *p = xasprintf("%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0777);
		*s = '/';
	}
	mkdir(p, 0777);
	free(p);
}

/* clean_dir removes the regular files directly in dir, so no stale output is checked. */
static void clean_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xasprintf(".");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/* base_name returns the last path element of path without the suffix ext. */
static char *base_name(const char *path, const char *ext)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b), el = strlen(ext);
	if (n > el && strcmp(b + n - el, ext) == 0)
		n -= el;
	return xasprintf("%.*s", (int)n, b);
}

/* put_text prints s[0..n) with control bytes (but tab) escaped as \xNN. */
static void put_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/*
 * print_tail shows the last max lines of the stream what (stored in path),
 * indented under a failure line.
 */
static void print_tail(const char *what, const char *path, int max)
{
	size_t n;
	char *buf = read_file(path, &n);
	if (!buf) {
		printf("     %s (%s): unreadable: %s\n", what, path, strerror(errno));
		return;
	}
	if (n == 0) {
		printf("     %s (%s): empty\n", what, path);
		free(buf);
		return;
	}
	size_t end = buf[n - 1] == '\n' ? n - 1 : n; /* the last line's end */
	int total = 1;
	for (size_t i = 0; i < end; i++)
		total += buf[i] == '\n';
	size_t start = end;
	int shown = 0;
	while (shown < max) {
		while (start > 0 && buf[start - 1] != '\n')
			start--;
		shown++;
		if (start == 0 || shown == max)
			break;
		start--;
	}
	if (shown < total)
		printf("     %s, last %d of %d lines (%s):\n", what, shown, total, path);
	else
		printf("     %s (%s):\n", what, path);
	for (size_t s = start; s <= end && s < n;) {
		const char *nl = memchr(buf + s, '\n', end - s);
		size_t e = nl ? (size_t)(nl - buf) : end;
		fputs("     | ", stdout);
		put_text(buf + s, e - s);
		putchar('\n');
		s = e + 1;
	}
	free(buf);
}

/* report prints one result line; fail holds the reasons, none for a pass. */
static void report(const char *arch, const char *label, double secs, const struct td_list *fail)
{
	printf("%-4s %-8s %-*s  %.2fs", fail->n ? "FAIL" : "ok", arch, name_width, label, secs);
	if (fail->n) {
		fputs(": ", stdout);
		put_text(fail->v[0], strlen(fail->v[0]));
	}
	putchar('\n');
	for (size_t i = 1; i < fail->n; i++) {
		fputs("     also: ", stdout);
		put_text(fail->v[i], strlen(fail->v[i]));
		putchar('\n');
	}
	if (fail->n)
		failed++;
	else
		passed++;
}

static const char *job_arch(const struct job *j)
{
	return j->kind == JOB_UNIT ? "unit" : td_arch_name[j->arch];
}

static void count_job(const struct job *j, double secs)
{
	if (j->kind == JOB_UNIT) {
		unit_tests++;
		unit_secs += secs;
	} else {
		arch_tests[j->arch]++;
		arch_secs[j->arch] += secs;
	}
}

/* finish_job checks a reaped job against its expectations and reports it. */
static void finish_job(struct job *j, int status)
{
	double secs = now() - j->start;
	struct td_list fail = {0};
	int exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

	if (j->killed)
		td_list_addf(&fail, "no result after %d s: killed (watchdog)", j->watchdog);
	else if (WIFSIGNALED(status))
		td_list_addf(&fail, "killed by signal %d (%s)", WTERMSIG(status),
			     strsignal(WTERMSIG(status)));
	if (j->kind == JOB_UNIT) {
		if (exit_status > 0)
			td_list_addf(&fail, "exit status %d", exit_status);
	} else {
		size_t outlen = 0, errlen = 0;
		char *out = read_file(j->log_out, &outlen);
		char *err = read_file(j->log_err, &errlen);
		if (!out || !err)
			td_list_addf(&fail, "cannot read the logs %s and %s", j->log_out,
				     j->log_err);
		struct td_run run = {.exit = j->killed ? -1 : exit_status,
				     .started = j->started_unix,
				     .finished = (int64_t)time(NULL),
				     .out = out ? out : "",
				     .outlen = outlen,
				     .err = err ? err : "",
				     .errlen = errlen};
		td_check(j->plan, &run, &fail);
		free(out);
		free(err);
	}
	count_job(j, secs);
	report(job_arch(j), j->label, secs, &fail);
	if (fail.n && j->kind == JOB_UNIT) {
		print_tail("output", j->log_out, TAIL_LINES_UNIT);
	} else if (fail.n) {
		print_tail("stdout", j->log_out, TAIL_LINES);
		print_tail("stderr", j->log_err, TAIL_LINES);
	}
	fflush(stdout);
	td_list_free(&fail);
}

/* fail_job reports a job that could not be started. */
static void fail_job(const struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail_job(const struct job *j, const char *fmt, ...)
{
	struct td_list fail = {0};
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	td_list_add(&fail, msg);
	count_job(j, 0);
	report(job_arch(j), j->label, 0, &fail);
	fflush(stdout);
	free(msg);
	td_list_free(&fail);
}

static int open_log(const char *path)
{
	char *dir = dirname_of(path);
	mkdir_p(dir);
	free(dir);
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
}

/*
 * start_job forks and execs a job in a new process group, with stdin from
 * /dev/null and its streams in the log files. Returns true if it is running;
 * false if it failed at once (and was reported).
 */
static bool start_job(struct job *j)
{
	if (access(j->image, R_OK) != 0) {
		fail_job(j, "missing %s %s (%s)", j->kind == JOB_UNIT ? "unit test" : "image",
			 j->image, strerror(errno));
		return false;
	}
	if (j->outdir) {
		mkdir_p(j->outdir);
		clean_dir(j->outdir);
	}
	int out = open_log(j->log_out);
	int err = j->log_err ? open_log(j->log_err) : out;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (out < 0 || err < 0 || null < 0) {
		fail_job(j, "cannot create %s: %s", out < 0 ? j->log_out : j->log_err,
			 strerror(errno));
		goto closefds;
	}
	fflush(stdout);
	j->start = now();
	j->started_unix = (int64_t)time(NULL);
	j->pid = fork();
	if (j->pid == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &orig_mask, NULL);
		dup2(null, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(j->argv.v[0], j->argv.v);
		dprintf(2, "gort-test: cannot run %s: %s\n", j->argv.v[0], strerror(errno));
		_exit(127);
	}
	if (j->pid < 0) {
		j->pid = 0;
		fail_job(j, "cannot fork: %s", strerror(errno));
	} else {
		setpgid(j->pid, j->pid); /* also here: the child may not have run yet */
	}
closefds:
	if (out >= 0)
		close(out);
	if (err >= 0 && err != out)
		close(err);
	if (null >= 0)
		close(null);
	return j->pid > 0;
}

/* interrupted kills every running job's process group and ends the harness. */
static void interrupted(int sig, struct job **running, int nrunning)
{
	for (int i = 0; i < nrunning; i++)
		kill(-running[i]->pid, SIGKILL);
	for (int i = 0; i < nrunning; i++)
		waitpid(running[i]->pid, NULL, 0);
	fflush(stdout);
	fprintf(stderr, "gort-test: interrupted by %s; killed %d running %s\n", strsignal(sig),
		nrunning, nrunning == 1 ? "job" : "jobs");
	exit(128 + sig);
}

/*
 * run_jobs runs jobs[0..n) with at most opt.jobs at once and reports each as
 * it finishes.
 */
static void run_jobs(struct job *jobs, size_t n)
{
	struct job **running = xcalloc((size_t)opt.jobs, sizeof *running);
	int nrunning = 0;
	size_t next = 0;

	while (next < n || nrunning > 0) {
		while (nrunning < opt.jobs && next < n) {
			struct job *j = &jobs[next++];
			if (start_job(j))
				running[nrunning++] = j;
		}
		if (nrunning == 0)
			continue;

		siginfo_t si = {0};
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid != 0) {
			int k = 0;
			while (k < nrunning && running[k]->pid != si.si_pid)
				k++;
			if (k == nrunning)
				die("reaped an unknown child %d", (int)si.si_pid);
			struct job *j = running[k];
			int status;
			kill(-j->pid, SIGKILL); /* the group's stragglers; the zombie pins its id */
			waitpid(j->pid, &status, 0);
			j->pid = 0;
			running[k] = running[--nrunning];
			finish_job(j, status);
			continue;
		}

		double t = now(), wait = 3600;
		for (int k = 0; k < nrunning; k++) {
			struct job *j = running[k];
			double left = j->start + j->watchdog - t;
			if (left <= 0 && !j->killed) {
				kill(-j->pid, SIGKILL);
				j->killed = true;
			}
			if (!j->killed && left < wait)
				wait = left;
		}
		struct timespec ts = {.tv_sec = (time_t)wait,
				      .tv_nsec = (long)((wait - (double)(time_t)wait) * 1e9)};
		int sig = sigtimedwait(&wait_sigs, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			interrupted(sig, running, nrunning);
	}
	free(running);
}

/* matches tells whether a job named arch/label passes --filter. */
static bool matches(const char *arch, const char *label)
{
	if (!opt.filter)
		return true;
	char *key = xasprintf("%s/%s", arch, label);
	bool m = strstr(key, opt.filter) != NULL;
	free(key);
	return m;
}

static void note_label(const char *label)
{
	int n = (int)strlen(label);
	if (n > name_width)
		name_width = n;
}

/*
 * load_test reads and parses a test source. A source that cannot be read or
 * parsed gets t->error, to be reported as one failure if it passes the filter.
 */
static void load_test(struct test *t, const char *src)
{
	t->src = src;
	t->name = base_name(src, ".c");
	size_t len;
	char *text = read_file(src, &len);
	char err[512];
	if (!text)
		t->error = xasprintf("cannot read %s: %s", src, strerror(errno));
	else if (td_parse(text, len, &t->spec, err, sizeof err) < 0)
		t->error = xasprintf("%s: %s", src, err);
	free(text);
	for (int a = 0; t->error && a < opt.narch; a++)
		t->wanted |= matches(td_arch_name[opt.arch[a]], t->name);
	if (t->wanted)
		note_label(t->name);
}

/* qemu_job fills in the job that boots test t on arch in variant var (NULL: none). */
static void qemu_job(struct job *j, const struct test *t, int arch, const struct td_variant *var)
{
	const struct td_plan *p = &t->plan[arch];
	const char *a = td_arch_name[arch];
	char *file = var ? xasprintf("%s.%s", t->name, var->name) : xasprintf("%s", t->name);

	*j = (struct job){.kind = JOB_QEMU, .arch = arch, .plan = p};
	j->label = var ? xasprintf("%s/%s", t->name, var->name) : xasprintf("%s", t->name);
	j->image = xasprintf("%s/%s/tests/%s.elf", opt.build, a, t->name);
	j->outdir = xasprintf("%s/%s/tests/out/%s", opt.build, a, file);
	j->log_out = xasprintf("%s/%s/tests/log/%s.out", opt.build, a, file);
	j->log_err = xasprintf("%s/%s/tests/log/%s.err", opt.build, a, file);
	j->watchdog = p->timeout + WATCHDOG_GRACE;

	struct td_list *v = &j->argv;
	td_list_add(v, opt.runner);
	td_list_add(v, "--arch");
	td_list_add(v, a);
	td_list_add(v, "--image");
	td_list_add(v, j->image);
	td_list_add(v, "--timeout");
	td_list_addf(v, "%d", p->timeout);
	td_list_add(v, "--out");
	td_list_add(v, j->outdir);
	if (p->cmdline) {
		td_list_add(v, "--cmdline");
		td_list_add(v, p->cmdline);
	}
	if (p->smp) {
		td_list_add(v, "--smp");
		td_list_addf(v, "%d", p->smp);
	}
	if (p->mem) {
		td_list_add(v, "--mem");
		td_list_add(v, p->mem);
	}
	const struct td_list *extra[] = {&opt.runner_args, &opt.arch_runner_args[arch],
					 &p->runner_args, var ? &var->args : NULL};
	for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++)
		for (size_t i = 0; extra[e] && i < extra[e]->n; i++)
			td_list_add(v, extra[e]->v[i]);
	free(file);
}

static void unit_job(struct job *j, const char *bin)
{
	*j = (struct job){.kind = JOB_UNIT, .arch = -1, .watchdog = WATCHDOG_UNIT};
	j->label = base_name(bin, "");
	j->image = xasprintf("%s", bin);
	j->log_out = xasprintf("%s/unit/log/%s.log", opt.build, j->label);
	td_list_add(&j->argv, bin);
}

static void free_job(struct job *j)
{
	free(j->label);
	free(j->image);
	free(j->outdir);
	free(j->log_out);
	free(j->log_err);
	td_list_free(&j->argv);
}

static void free_jobs(struct job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_job(&jobs[i]);
	free(jobs);
}

/* on_sigchld exists only so that SIGCHLD stays pending; see main. */
static void on_sigchld(int sig)
{
	(void)sig;
}

static void usage(void)
{
	fputs("usage: gort-test --runner PATH [--build DIR] [--arches \"ARCH ...\"] [--jobs N]\n"
	      "                 [--filter TEXT] [--runner-args ARGS] [--arch-runner-args ARCH "
	      "ARGS]\n"
	      "                 [--unit BINARY ...] [--] TEST.c ...\n",
	      stderr);
	exit(2);
}

static int arch_or_die(const char *s, size_t n)
{
	int a = td_arch_index(s, n);
	if (a < 0)
		die("unknown arch \"%.*s\"", (int)n, s);
	return a;
}

static void parse_args(int argc, char **argv)
{
	opt.build = "build";
	opt.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	const char *arches = "x86_64 aarch64 riscv64";
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strncmp(a, "--", 2) != 0) {
			td_list_add(&opt.sources, a);
			continue;
		} else if (strcmp(a, "--unit") == 0) {
			while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
				td_list_add(&opt.units, argv[++i]);
			continue;
		} else if (strcmp(a, "--help") == 0) {
			usage();
		}
		static const char *const with_value[] = {
		    "--runner", "--build",       "--arches",           "--jobs",
		    "--filter", "--runner-args", "--arch-runner-args",
		};
		bool known = false;
		for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
			known |= strcmp(a, with_value[k]) == 0;
		if (!known) {
			fprintf(stderr, "gort-test: unknown option %s\n", a);
			usage();
		}
		if (!val)
			die("%s needs a value", a);
		i++;
		if (strcmp(a, "--runner") == 0) {
			opt.runner = val;
		} else if (strcmp(a, "--build") == 0) {
			opt.build = val;
		} else if (strcmp(a, "--arches") == 0) {
			arches = val;
		} else if (strcmp(a, "--jobs") == 0) {
			char *end;
			long n = strtol(val, &end, 10);
			if (*end || n < 1 || n > 1024)
				die("--jobs: \"%s\" is not a number from 1 to 1024", val);
			opt.jobs = (int)n;
		} else if (strcmp(a, "--filter") == 0) {
			opt.filter = val;
		} else if (strcmp(a, "--runner-args") == 0) {
			td_list_split(&opt.runner_args, val);
		} else if (strcmp(a, "--arch-runner-args") == 0) {
			if (i + 1 >= argc)
				die("--arch-runner-args needs an arch and arguments");
			td_list_split(&opt.arch_runner_args[arch_or_die(val, strlen(val))],
				      argv[++i]);
		}
	}
	for (; i < argc; i++)
		td_list_add(&opt.sources, argv[i]);
	if (!opt.runner && opt.sources.n)
		die("--runner is required to run QEMU tests");
	if (opt.jobs < 1)
		opt.jobs = 1;
	for (const char *s = arches; *s;) {
		s += strspn(s, " \t,");
		size_t n = strcspn(s, " \t,");
		if (n == 0)
			break;
		int a = arch_or_die(s, n);
		bool dup = false;
		for (int k = 0; k < opt.narch; k++)
			dup |= opt.arch[k] == a;
		if (!dup)
			opt.arch[opt.narch++] = a;
		s += n;
	}
	if (opt.narch == 0)
		die("--arches names no arch");
}

int main(int argc, char **argv)
{
	host_init("gort-test", 2);
	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* SIGCHLD gets a handler: a blocked signal whose action is to ignore it may be
	 * discarded instead of staying pending for sigtimedwait. */
	struct sigaction sa = {.sa_handler = on_sigchld};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&wait_sigs);
	sigaddset(&wait_sigs, SIGCHLD);
	sigaddset(&wait_sigs, SIGINT);
	sigaddset(&wait_sigs, SIGTERM);
	sigaddset(&wait_sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &wait_sigs, &orig_mask);

	struct test *tests = xcalloc(opt.sources.n, sizeof *tests);
	size_t njobs = 0, cap = 16;
	struct job *jobs = xcalloc(cap, sizeof *jobs);

	for (size_t i = 0; i < opt.sources.n; i++)
		load_test(&tests[i], opt.sources.v[i]);
	for (size_t i = 0; i < opt.sources.n; i++) {
		struct test *t = &tests[i];
		if (t->error)
			continue;
		for (int k = 0; k < opt.narch; k++) {
			int a = opt.arch[k];
			if (!(t->spec.arches & (1u << a)))
				continue;
			td_plan_for(&t->spec, a, &t->plan[a]);
			for (size_t v = 0; v <= t->plan[a].nvariants; v++) {
				const struct td_variant *var =
				    v ? &t->plan[a].variants[v - 1] : NULL;
				if (njobs == cap) {
					cap *= 2;
					jobs = realloc(jobs, cap * sizeof *jobs);
					if (!jobs)
						die("out of memory");
				}
				qemu_job(&jobs[njobs], t, a, var);
				if (!matches(td_arch_name[a], jobs[njobs].label)) {
					free_job(&jobs[njobs]);
					continue;
				}
				note_label(jobs[njobs].label);
				njobs++;
			}
		}
	}
	struct job *units = xcalloc(opt.units.n, sizeof *units);
	size_t nunits = 0;
	for (size_t i = 0; i < opt.units.n; i++) {
		unit_job(&units[nunits], opt.units.v[i]);
		if (matches("unit", units[nunits].label))
			note_label(units[nunits++].label);
		else
			free_job(&units[nunits]);
	}

	for (size_t i = 0; i < opt.sources.n; i++) {
		if (tests[i].wanted) {
			struct td_list fail = {0};
			td_list_add(&fail, tests[i].error);
			report("-", tests[i].name, 0, &fail);
			td_list_free(&fail);
		}
	}
	run_jobs(jobs, njobs);
	for (int k = 0; k < opt.narch; k++) {
		int a = opt.arch[k];
		if (arch_tests[a])
			printf("%s: %d %s, %.1f s\n", td_arch_name[a], arch_tests[a],
			       plural(arch_tests[a]), arch_secs[a]);
	}
	run_jobs(units, nunits);
	if (unit_tests)
		printf("unit: %d %s, %.1f s\n", unit_tests, plural(unit_tests), unit_secs);
	printf("%d passed, %d failed\n", passed, failed);

	free_jobs(jobs, njobs);
	free_jobs(units, nunits);
	for (size_t i = 0; i < opt.sources.n; i++) {
		for (int a = 0; a < TD_NARCH; a++)
			td_plan_free(&tests[i].plan[a]);
		td_spec_free(&tests[i].spec);
		free(tests[i].name);
		free(tests[i].error);
	}
	free(tests);
	return failed ? 1 : 0;
}
