/*
 * gort-bench: the side-by-side benchmark driver behind `make bench`.
 *
 * Each workload exists at least twice: a gort image (bench/NAME.c, built to
 * BUILD/x86_64/bench/NAME.elf) and a Go program (bench/go/NAME/main.go, built static to
 * BUILD/bench/go/NAME and packed as /init into BUILD/bench/NAME.cpio by mkinitramfs).
 * Workloads about memory management have a third program, in C on the Boehm collector
 * (bench/boehm/NAME.c, built static with Debian's libgc to BUILD/bench/boehm/NAME and
 * packed into BUILD/bench/boehm/NAME.cpio). gort-bench boots them all through the same
 * runner, gort-run, on the same QEMU machine with the same accelerator, CPU count and
 * memory:
 *
 *   gort-run --arch x86_64 --image BUILD/x86_64/bench/NAME.elf --mark TEXT ...
 *   gort-run --linux VMLINUZ --initrd BUILD/bench/NAME.cpio --mark TEXT ...
 *   gort-run --linux VMLINUZ --initrd BUILD/bench/boehm/NAME.cpio --mark TEXT ...
 *
 * (the runner gives the Linux guest "console=ttyS0 panic=-1 quiet" and, like the gort
 * image, a q35 machine without the default NIC and VGA). The Linux programs power the
 * machine off after their work; one that dies instead panics the kernel, whose reboot
 * ends QEMU. That is the comparison a user makes: "my service as a gort image" against
 * "my service as a Go (or garbage-collected C) program in a minimal Linux VM". Runs
 * alternate between the guests (so a slow phase of the host hurts all alike), each
 * workload runs --runs times per guest, and the median is reported. A guest whose run
 * fails (or whose program was not built) is reported as failed for that workload and
 * not run again; the other guests carry on.
 *
 * A workload's figure comes from the console, in one of two ways (enum figure_kind):
 *   FIG_MARK_TIME  seconds from QEMU start to the first console line containing the
 *                  workload's mark text, from the runner's "gort-run: mark <s>" line.
 *   FIG_PRINTED    the number printed right after the mark text on that line, so a guest
 *                  that measures itself prints e.g. "gort-bench: spawn-ns 2039".
 * Adding a workload is one row in `workloads` plus its programs (two, or three with a
 * Boehm twin) and their build rules; the Makefile builds every bench/boehm/NAME.c.
 *
 * The accelerator must be the same for every guest. With --accel auto (the default) the
 * first run is made with --verbose, the runner's "gort-run: accel X" decision is read
 * from it, and every later run (all guests) gets --accel X.
 *
 * After the workloads comes the size table for the boot workload: the program file
 * (gort ELF against the static Go binary), the bytes the loader copies from it (its
 * PT_LOAD segments: code and data without symbols and debug info), and what the machine
 * is handed to boot (the gort image's loaded bytes against kernel plus initramfs).
 *
 * Output is a plain-text table meant to be pasted into a README: each workload's figure
 * per guest and the ratios gort/Go and gort/Boehm ("-" where a figure is missing).
 * Progress and errors go to stderr. Exit status 0 when every run reached its mark, 1
 * otherwise, 2 for usage.
 */
#define _GNU_SOURCE
#include "tools/host.h"
#include <elf.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum figure_kind {
	FIG_MARK_TIME, /* seconds from QEMU start to the mark line */
	FIG_PRINTED,   /* the number the guest printed after the mark text */
};

enum guest {
	GUEST_GORT,  /* the gort image */
	GUEST_GO,    /* the Go program as /init of a Linux guest */
	GUEST_BOEHM, /* the C program on the Boehm collector as /init of a Linux guest */
	NGUESTS,
};

/* Column headings, and the guest's name in messages. */
static const char *const guest_names[NGUESTS] = {"gort", "Linux + Go", "Linux + Boehm"};

struct workload {
	const char *name;      /* image NAME: bench/NAME.c, bench/go/NAME, bench/boehm/NAME.c */
	const char *label;     /* row label in the table, with its unit */
	const char *mark;      /* console text every program of the workload prints */
	enum figure_kind kind; /* where the figure comes from */
	int decimals;          /* digits after the point in the table */
	int boehm;             /* 1 when bench/boehm/NAME.c exists: the third guest runs */
};

static const struct workload workloads[] = {
    {"boot", "boot to main (s)", "gort-bench: main reached", FIG_MARK_TIME, 3, 0},
    {"alloc", "32-byte allocation (ns)", "gort-bench: alloc-ns ", FIG_PRINTED, 1, 1},
    {"spawn", "goroutine spawn+join (ns)", "gort-bench: spawn-ns ", FIG_PRINTED, 0, 0},
    {"pingpong", "channel ping-pong round trip (ns)", "gort-bench: pingpong-ns ", FIG_PRINTED, 0,
     0},
    {"parked", "memory per parked goroutine (bytes)", "gort-bench: parked-bytes ", FIG_PRINTED, 0,
     0},
};

enum {
	NWORKLOADS = sizeof workloads / sizeof workloads[0],
	MAX_RUNS = 99,
	MAX_ARGS = 32,
};

/* The workload whose programs the size table measures. */
static const char size_workload[] = "boot";

struct options {
	int runs;
	const char *accel; /* "auto", "kvm" or "tcg"; pinned after the first run */
	const char *smp;
	const char *mem;
	const char *kernel;
	const char *build;
	const char *calibration; /* --calibration-image for the runner's auto decision */
	const char *timeout;
	const char *only; /* run only this workload */
	int verbose;
};

/* One guest run's captured output. */
struct run {
	char *out; /* the runner's stdout: the guest console */
	char *err; /* the runner's stderr: marks, decisions, failures */
	int status;
};

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *data;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = realloc(b->data, b->cap);
		if (b->data == NULL)
			die("out of memory");
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* buf_take returns the buffer's string (empty when nothing was added). */
static char *buf_take(struct buf *b)
{
	if (b->data == NULL)
		buf_add(b, "", 0);
	return b->data;
}

/*
 * spawn runs argv[0] with stdout and stderr captured and returns them with the exit
 * status (128 + signal number when it was killed).
 */
static struct run spawn(char *const argv[])
{
	int outp[2], errp[2], wstatus;
	struct buf out = {0}, err = {0};
	struct pollfd fds[2];
	struct run r;
	pid_t pid;

	if (pipe(outp) != 0 || pipe(errp) != 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		close(outp[0]);
		close(outp[1]);
		close(errp[0]);
		close(errp[1]);
		execv(argv[0], argv);
		fprintf(stderr, "gort-bench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	fds[0] = (struct pollfd){.fd = outp[0], .events = POLLIN};
	fds[1] = (struct pollfd){.fd = errp[0], .events = POLLIN};
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		for (int i = 0; i < 2; i++) {
			char chunk[4096];
			ssize_t n;

			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			n = read(fds[i].fd, chunk, sizeof chunk);
			if (n > 0) {
				buf_add(i == 0 ? &out : &err, chunk, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(fds[i].fd);
				fds[i].fd = -1;
			}
		}
	}
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	r.out = buf_take(&out);
	r.err = buf_take(&err);
	r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	return r;
}

static void free_run(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* find_line returns the start of the first line of `text` containing `needle`, or NULL. */
static const char *find_line(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle);

	if (hit == NULL)
		return NULL;
	while (hit > text && hit[-1] != '\n')
		hit--;
	return hit;
}

/* parse_number reads a decimal number at p; returns 0 when there is none. */
static int parse_number(const char *p, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(p, &end);
	return end != p && errno == 0;
}

/*
 * figure extracts the workload's figure from one run, or explains on stderr why it
 * cannot (the run failed, or never reached the mark) and returns 0.
 */
static int figure(const struct workload *w, const char *guest, const struct run *r, double *v)
{
	static const char mark[] = "gort-run: mark ";
	const char *line = NULL;

	if (r->status == 0) {
		if (w->kind == FIG_MARK_TIME) {
			line = find_line(r->err, mark);
			if (line != NULL && parse_number(line + strlen(mark), v))
				return 1;
		} else {
			line = find_line(r->out, w->mark);
			if (line != NULL &&
			    parse_number(strstr(line, w->mark) + strlen(w->mark), v))
				return 1;
		}
	}
	fprintf(stderr,
		"gort-bench: %s on %s: %s (runner status %d)\n"
		"--- console ---\n%s--- runner ---\n%s---\n",
		w->label, guest,
		r->status != 0 ? "the run failed"
		: line == NULL ? "the mark never appeared"
			       : "no number after the mark",
		r->status, r->out, r->err);
	return 0;
}

/* learn_accel pins opt->accel to the decision the runner printed under --verbose. */
static void learn_accel(struct options *opt, const struct run *r)
{
	static const char key[] = "gort-run: accel ";
	const char *line = find_line(r->err, key);
	size_t n;

	if (line == NULL)
		die("the runner did not report its accelerator decision (\"%s...\")", key);
	line = strstr(line, key) + strlen(key);
	n = strspn(line, "abcdefghijklmnopqrstuvwxyz");
	if (strncmp(line, "kvm", n) == 0 && n == 3)
		opt->accel = "kvm";
	else if (strncmp(line, "tcg", n) == 0 && n == 3)
		opt->accel = "tcg";
	else
		die("unexpected accelerator decision: %.*s", (int)strcspn(line, "\n"), line);
}

/*
 * guest_file returns the file a guest boots for a workload (the caller frees it): the gort
 * image, or the initramfs holding the Linux guest's /init.
 */
static char *guest_file(const struct options *opt, const struct workload *w, enum guest g)
{
	switch (g) {
	case GUEST_GORT:
		return xasprintf("%s/x86_64/bench/%s.elf", opt->build, w->name);
	case GUEST_GO:
		return xasprintf("%s/bench/%s.cpio", opt->build, w->name);
	case GUEST_BOEHM:
		return xasprintf("%s/bench/boehm/%s.cpio", opt->build, w->name);
	case NGUESTS:
		break;
	}
	die("no such guest: %d", (int)g);
}

/*
 * run_guest boots one workload on one guest from `file` (guest_file). While the
 * accelerator is still "auto", the run also learns the runner's decision (see
 * learn_accel).
 */
static struct run run_guest(struct options *opt, const char *runner, enum guest guest,
			    const struct workload *w, const char *file)
{
	char *argv[MAX_ARGS];
	int argc = 0, learning = strcmp(opt->accel, "auto") == 0;
	struct run r;

	argv[argc++] = (char *)runner;
	if (guest != GUEST_GORT) {
		argv[argc++] = "--linux";
		argv[argc++] = (char *)opt->kernel;
		argv[argc++] = "--initrd";
		argv[argc++] = (char *)file;
	} else {
		argv[argc++] = "--arch";
		argv[argc++] = "x86_64";
		argv[argc++] = "--image";
		argv[argc++] = (char *)file;
	}
	argv[argc++] = "--mark";
	argv[argc++] = (char *)w->mark;
	argv[argc++] = "--smp";
	argv[argc++] = (char *)opt->smp;
	argv[argc++] = "--mem";
	argv[argc++] = (char *)opt->mem;
	argv[argc++] = "--accel";
	argv[argc++] = (char *)opt->accel;
	if (learning && opt->calibration != NULL) {
		argv[argc++] = "--calibration-image";
		argv[argc++] = (char *)opt->calibration;
	}
	if (opt->timeout != NULL) {
		argv[argc++] = "--timeout";
		argv[argc++] = (char *)opt->timeout;
	}
	if (learning)
		argv[argc++] = "--verbose";
	argv[argc] = NULL;

	if (opt->verbose) {
		fputs("gort-bench: run:", stderr);
		for (int i = 0; i < argc; i++)
			fprintf(stderr, strchr(argv[i], ' ') ? " '%s'" : " %s", argv[i]);
		fputc('\n', stderr);
	}
	r = spawn(argv);
	if (learning && r.status == 0)
		learn_accel(opt, &r);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* What became of one guest of one workload. */
enum outcome {
	OUT_NONE,   /* the workload has no program for this guest */
	OUT_OK,     /* every run reached its mark: fig is the median */
	OUT_FAILED, /* a run failed, or the guest's program was not built */
};

/* Median figures of one workload, per guest. */
struct result {
	double fig[NGUESTS];
	enum outcome outcome[NGUESTS];
};

/*
 * bench_workload runs each of the workload's guests opt->runs times, alternating between
 * them. A guest that fails once (or whose file is missing) is marked OUT_FAILED and not
 * run again; the others go on.
 */
static struct result bench_workload(struct options *opt, const char *runner,
				    const struct workload *w)
{
	double figs[NGUESTS][MAX_RUNS];
	char *files[NGUESTS];
	struct result res;

	for (int g = 0; g < NGUESTS; g++) {
		res.outcome[g] = g == GUEST_BOEHM && !w->boehm ? OUT_NONE : OUT_OK;
		files[g] = res.outcome[g] == OUT_NONE ? NULL : guest_file(opt, w, (enum guest)g);
		if (files[g] != NULL && access(files[g], R_OK) != 0) {
			fprintf(stderr, "gort-bench: %s on %s: %s: %s (not built?)\n", w->label,
				guest_names[g], files[g], strerror(errno));
			res.outcome[g] = OUT_FAILED;
		}
	}
	for (int i = 0; i < opt->runs; i++) {
		struct buf progress = {0};

		for (int g = 0; g < NGUESTS; g++) {
			struct run r;
			char *item;

			if (res.outcome[g] != OUT_OK)
				continue;
			r = run_guest(opt, runner, (enum guest)g, w, files[g]);
			if (figure(w, guest_names[g], &r, &figs[g][i])) {
				item = xasprintf("%s%s %.6g", progress.len ? ", " : "",
						 guest_names[g], figs[g][i]);
				buf_add(&progress, item, strlen(item));
				free(item);
			} else {
				res.outcome[g] = OUT_FAILED;
			}
			free_run(&r);
		}
		if (progress.len == 0)
			break;
		fprintf(stderr, "gort-bench: %s run %d/%d: %s\n", w->label, i + 1, opt->runs,
			progress.data);
		free(progress.data);
	}
	for (int g = 0; g < NGUESTS; g++) {
		if (res.outcome[g] == OUT_OK)
			res.fig[g] = median(figs[g], opt->runs);
		free(files[g]);
	}
	return res;
}

/* file_size returns the size of `path` in bytes; it dies when the file is missing. */
static uint64_t file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		die("%s: %s", path, strerror(errno));
	return (uint64_t)st.st_size;
}

/*
 * loaded_size returns the bytes an ELF loader copies from the file: the sum of p_filesz
 * over PT_LOAD segments (code and initialised data; no symbols or debug info).
 */
static uint64_t loaded_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr eh;
	uint64_t sum = 0;

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	if (fread(&eh, sizeof eh, 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr))
		die("%s: not an ELF64 file", path);
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (fseek(f, (long)(eh.e_phoff + (uint64_t)i * sizeof ph), SEEK_SET) != 0 ||
		    fread(&ph, sizeof ph, 1, f) != 1)
			die("%s: truncated program headers", path);
		if (ph.p_type == PT_LOAD)
			sum += ph.p_filesz;
	}
	fclose(f);
	return sum;
}

enum {
	RATIO_LEN = 32, /* room for ratio's text */
};

/* ratio formats a/b into s as "0.03x", or "-" when b is 0; it returns s. */
static const char *ratio(char s[RATIO_LEN], double a, double b)
{
	if (b == 0)
		snprintf(s, RATIO_LEN, "-");
	else
		snprintf(s, RATIO_LEN, "%.3gx", a / b);
	return s;
}

static void print_size_row(const char *label, uint64_t gort, uint64_t go)
{
	char g[32], l[32], r[RATIO_LEN];

	snprintf(g, sizeof g, "%.1f KiB", gort / 1024.0);
	snprintf(l, sizeof l, "%.1f KiB", go / 1024.0);
	printf("%-34s %12s %12s %9s\n", label, g, l, ratio(r, (double)gort, (double)go));
}

static void print_sizes(const struct options *opt)
{
	char *elf = xasprintf("%s/x86_64/bench/%s.elf", opt->build, size_workload);
	char *gobin = xasprintf("%s/bench/go/%s", opt->build, size_workload);
	char *cpio = xasprintf("%s/bench/%s.cpio", opt->build, size_workload);
	uint64_t kernel = file_size(opt->kernel), initrd = file_size(cpio);

	printf("\n%-34s %12s %12s %9s\n", "size (boot workload)", "gort", "Linux + Go", "gort/Go");
	print_size_row("program file (ELF / static Go)", file_size(elf), file_size(gobin));
	print_size_row("program loaded bytes (PT_LOAD)", loaded_size(elf), loaded_size(gobin));
	print_size_row("guest handed to QEMU", loaded_size(elf), kernel + initrd);
	printf("%-34s %12s %8.1f KiB\n", "  Linux kernel", "", kernel / 1024.0);
	printf("%-34s %12s %8.1f KiB\n", "  initramfs (Go program as /init)", "", initrd / 1024.0);
	free(elf);
	free(gobin);
	free(cpio);
}

/*
 * go_version writes the Go release a binary was built with ("go1.19.8") into buf, from
 * its build-info blob (Go 1.18+, see debug/buildinfo): the 16-byte-aligned magic
 * "\xff Go buildinf:", then a 32-byte header whose byte 15 has bit 2 set when the version
 * string follows inline as a varint length and bytes. Falls back to "Go".
 */
static void go_version(const char *path, char *buf, size_t n)
{
	static const char magic[] = "\xff Go buildinf:";
	FILE *f = fopen(path, "rb");
	struct buf file = {0};
	char chunk[65536];
	size_t got;

	snprintf(buf, n, "Go");
	if (f == NULL)
		return;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&file, chunk, got);
	fclose(f);
	for (size_t off = 0; off + 64 <= file.len; off += 16) {
		const unsigned char *blob = (const unsigned char *)file.data + off;
		size_t len = blob[32];

		if (memcmp(blob, magic, sizeof magic - 1) != 0)
			continue;
		if ((blob[15] & 2) != 0 && len < 0x80 && 33 + len <= file.len - off)
			snprintf(buf, n, "%.*s", (int)len, (const char *)blob + 33);
		break;
	}
	free(file.data);
}

/* newest_kernel finds the /boot/vmlinuz-* with the highest version. */
static void newest_kernel(char *buf, size_t n)
{
	glob_t g;
	const char *best = NULL;

	if (glob("/boot/vmlinuz-*", 0, NULL, &g) != 0)
		die("no /boot/vmlinuz-* (install linux-image-amd64, or pass --kernel)");
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (best == NULL || strverscmp(g.gl_pathv[i], best) > 0)
			best = g.gl_pathv[i];
	snprintf(buf, n, "%s", best);
	globfree(&g);
}

/* selected reports whether this invocation runs workload w (--only). */
static int selected(const struct options *opt, const struct workload *w)
{
	return opt->only == NULL || strcmp(opt->only, w->name) == 0;
}

/* size_index returns the index of size_workload in workloads. */
static int size_index(void)
{
	for (int i = 0; i < NWORKLOADS; i++)
		if (strcmp(workloads[i].name, size_workload) == 0)
			return i;
	die("no workload named %s for the size table", size_workload);
}

/*
 * print_result prints one workload's row: each guest's median ("failed" when a run
 * failed, "-" when the workload has no program for the guest) and the ratios of gort's
 * figure to Go's and to Boehm's.
 */
static void print_result(const struct workload *w, const struct result *res)
{
	static const int width[NGUESTS] = {12, 12, 14};
	char cell[NGUESTS][32], to[NGUESTS][RATIO_LEN];

	for (int g = 0; g < NGUESTS; g++) {
		if (res->outcome[g] == OUT_OK)
			snprintf(cell[g], sizeof cell[g], "%.*f", w->decimals, res->fig[g]);
		else
			snprintf(cell[g], sizeof cell[g], "%s",
				 res->outcome[g] == OUT_FAILED ? "failed" : "-");
		if (res->outcome[GUEST_GORT] == OUT_OK && res->outcome[g] == OUT_OK)
			ratio(to[g], res->fig[GUEST_GORT], res->fig[g]);
		else
			snprintf(to[g], sizeof to[g], "-");
	}
	printf("%-34s %*s %*s %*s %9s %11s\n", w->label, width[GUEST_GORT], cell[GUEST_GORT],
	       width[GUEST_GO], cell[GUEST_GO], width[GUEST_BOEHM], cell[GUEST_BOEHM], to[GUEST_GO],
	       to[GUEST_BOEHM]);
}

static void usage(void)
{
	fputs("usage: gort-bench [options]\n"
	      "  --runs N                runs per workload and guest, median reported (3)\n"
	      "  --accel auto|kvm|tcg    accelerator for all guests (auto: the runner decides\n"
	      "                          once, then every guest uses its decision)\n"
	      "  --calibration-image ELF the runner's calibration guest for --accel auto\n"
	      "                          (default: the runner's own default)\n"
	      "  --smp N                 CPUs of every guest (2)\n"
	      "  --mem SIZE              memory of every guest (2G)\n"
	      "  --kernel VMLINUZ        Linux kernel (newest /boot/vmlinuz-*)\n"
	      "  --build DIR             build folder (build): DIR/tools/gort-run,\n"
	      "                          DIR/x86_64/bench/NAME.elf, DIR/bench/NAME.cpio,\n"
	      "                          DIR/bench/go/NAME, DIR/bench/boehm/NAME.cpio\n"
	      "  --timeout SECONDS       per-run timeout passed to the runner\n"
	      "  --only NAME             run one workload\n"
	      "  --verbose               print each runner command\n"
	      "workloads:",
	      stderr);
	for (int i = 0; i < NWORKLOADS; i++)
		fprintf(stderr, " %s", workloads[i].name);
	fputc('\n', stderr);
	exit(2);
}

static void parse_options(int argc, char **argv, struct options *opt)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--verbose") == 0) {
			opt->verbose = 1;
			continue;
		}
		if (v == NULL || strncmp(a, "--", 2) != 0)
			usage();
		i++;
		if (strcmp(a, "--runs") == 0) {
			char *end;
			long n = strtol(v, &end, 10);

			if (*end != '\0' || n < 1 || n > MAX_RUNS)
				die("--runs wants 1..%d", MAX_RUNS);
			opt->runs = (int)n;
		} else if (strcmp(a, "--accel") == 0) {
			if (strcmp(v, "auto") != 0 && strcmp(v, "kvm") != 0 &&
			    strcmp(v, "tcg") != 0)
				die("--accel wants auto, kvm or tcg");
			opt->accel = v;
		} else if (strcmp(a, "--calibration-image") == 0) {
			opt->calibration = v;
		} else if (strcmp(a, "--smp") == 0) {
			opt->smp = v;
		} else if (strcmp(a, "--mem") == 0) {
			opt->mem = v;
		} else if (strcmp(a, "--kernel") == 0) {
			opt->kernel = v;
		} else if (strcmp(a, "--build") == 0) {
			opt->build = v;
		} else if (strcmp(a, "--timeout") == 0) {
			opt->timeout = v;
		} else if (strcmp(a, "--only") == 0) {
			opt->only = v;
		} else {
			usage();
		}
	}
}

int main(int argc, char **argv)
{
	struct options opt = {
	    .runs = 3, .accel = "auto", .smp = "2", .mem = "2G", .build = "build"};
	struct result res[NWORKLOADS];
	int failed = 0, ran = 0;
	char *runner, *gobin, gover[64], kernel[PATH_MAX];

	host_init("gort-bench", 1);
	parse_options(argc, argv, &opt);
	if (opt.kernel == NULL) {
		newest_kernel(kernel, sizeof kernel);
		opt.kernel = kernel;
	}
	if (access(opt.kernel, R_OK) != 0)
		die("%s: %s (the Linux guest needs a readable kernel)", opt.kernel,
		    strerror(errno));
	runner = xasprintf("%s/tools/gort-run", opt.build);

	for (int i = 0; i < NWORKLOADS; i++) {
		if (!selected(&opt, &workloads[i]))
			continue;
		ran++;
		res[i] = bench_workload(&opt, runner, &workloads[i]);
		for (int g = 0; g < NGUESTS; g++)
			failed += res[i].outcome[g] == OUT_FAILED;
	}
	if (ran == 0)
		die("no workload named %s", opt.only);

	gobin = xasprintf("%s/bench/go/%s", opt.build, size_workload);
	go_version(gobin, gover, sizeof gover);
	printf("gort-bench: QEMU x86_64 q35, %s, %s CPUs, %s memory, median of %d run%s\n",
	       opt.accel, opt.smp, opt.mem, opt.runs, opt.runs == 1 ? "" : "s");
	printf("Linux + Go: %s, %s static binary as /init\n", basename(opt.kernel), gover);
	printf("Linux + Boehm: the same kernel, C on Boehm GC (Debian libgc, gcc -O2 -static) "
	       "as /init\n\n");
	printf("%-34s %12s %12s %14s %9s %11s\n", "workload", guest_names[GUEST_GORT],
	       guest_names[GUEST_GO], guest_names[GUEST_BOEHM], "gort/Go", "gort/Boehm");
	for (int i = 0; i < NWORKLOADS; i++)
		if (selected(&opt, &workloads[i]))
			print_result(&workloads[i], &res[i]);
	if (selected(&opt, &workloads[size_index()]))
		print_sizes(&opt);
	free(runner);
	free(gobin);
	return failed ? 1 : 0;
}
