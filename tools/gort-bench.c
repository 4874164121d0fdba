/*
 * gort-bench: the side-by-side benchmark driver behind `make bench`.
 *
 * Each workload exists twice: a gort image (bench/NAME.c, built to
 * BUILD/x86_64/bench/NAME.elf) and a Go program (bench/go/NAME/main.go, built static to
 * BUILD/bench/go/NAME and packed as /init into BUILD/bench/NAME.cpio by mkinitramfs).
 * gort-bench boots both through the same runner, gort-run, on the same QEMU machine with
 * the same accelerator, CPU count and memory:
 *
 *   gort-run --arch x86_64 --image BUILD/x86_64/bench/NAME.elf --mark TEXT ...
 *   gort-run --linux VMLINUZ --initrd BUILD/bench/NAME.cpio --mark TEXT ...
 *
 * (the runner gives the Linux guest "console=ttyS0 panic=-1 quiet" and, like the gort
 * image, a q35 machine without the default NIC and VGA). The Go programs power the machine
 * off after their work; one that dies instead panics the kernel, whose reboot ends QEMU.
 * That is the comparison a user makes: "my service as a gort image" against "my service
 * as a Go program in a minimal Linux VM". Runs alternate between the two guests (so a
 * slow phase of the host hurts both alike), each workload runs --runs times per guest,
 * and the median is reported.
 *
 * A workload's figure comes from the console, in one of two ways (enum figure_kind):
 *   FIG_MARK_TIME  seconds from QEMU start to the first console line containing the
 *                  workload's mark text, from the runner's "gort-run: mark <s>" line.
 *   FIG_PRINTED    the number printed right after the mark text on that line, so a guest
 *                  that measures itself prints e.g. "gort-bench: spawn-ns 2039".
 * Adding a workload is one row in `workloads` plus its two programs and build rules.
 *
 * The accelerator must be the same for both guests. With --accel auto (the default) the
 * first gort run is made with --verbose, the runner's "gort-run: accel X" decision is
 * read from it, and every later run (both guests) gets --accel X.
 *
 * After the workloads comes the size table for the boot workload: the program file
 * (gort ELF against the static Go binary), the bytes the loader copies from it (its
 * PT_LOAD segments: code and data without symbols and debug info), and what the machine
 * is handed to boot (the gort image's loaded bytes against kernel plus initramfs).
 *
 * Output is a plain-text table meant to be pasted into a README; progress and errors go
 * to stderr. Exit status 0 when every run reached its mark, 1 otherwise, 2 for usage.
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
	GUEST_LINUX, /* the Go program as /init of a Linux guest */
};

struct workload {
	const char *name;      /* image NAME: bench/NAME.c and bench/go/NAME */
	const char *label;     /* row label in the table, with its unit */
	const char *mark;      /* console text both programs print */
	enum figure_kind kind; /* where the figure comes from */
	int decimals;          /* digits after the point in the table */
};

static const struct workload workloads[] = {
	{"boot", "boot to main (s)", "gort-bench: main reached", FIG_MARK_TIME, 3},
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
static int figure(const struct workload *w, const char *guest, const struct run *r,
		  double *v)
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
 * run_guest boots one workload on one guest. While the accelerator is still "auto", the
 * run also learns the runner's decision (see learn_accel).
 */
static struct run run_guest(struct options *opt, const char *runner, const struct workload *w,
			    enum guest guest)
{
	char *argv[MAX_ARGS], *file;
	int argc = 0, learning = strcmp(opt->accel, "auto") == 0;
	struct run r;

	argv[argc++] = (char *)runner;
	if (guest == GUEST_LINUX) {
		argv[argc++] = "--linux";
		argv[argc++] = (char *)opt->kernel;
		argv[argc++] = "--initrd";
		argv[argc++] = file = xasprintf("%s/bench/%s.cpio", opt->build, w->name);
	} else {
		argv[argc++] = "--arch";
		argv[argc++] = "x86_64";
		argv[argc++] = "--image";
		argv[argc++] = file = xasprintf("%s/x86_64/bench/%s.elf", opt->build, w->name);
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
	free(file);
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

/* Median figures of one workload; ok is 0 when any run failed. */
struct result {
	double gort, go;
	int ok;
};

static struct result bench_workload(struct options *opt, const char *runner,
				    const struct workload *w)
{
	double gort[MAX_RUNS], go[MAX_RUNS];
	struct result res = {.ok = 1};

	for (int i = 0; i < opt->runs && res.ok; i++) {
		struct run r = run_guest(opt, runner, w, GUEST_GORT);

		res.ok = figure(w, "gort", &r, &gort[i]);
		free_run(&r);
		if (!res.ok)
			break;
		r = run_guest(opt, runner, w, GUEST_LINUX);
		res.ok = figure(w, "Linux + Go", &r, &go[i]);
		free_run(&r);
		if (res.ok)
			fprintf(stderr, "gort-bench: %s run %d/%d: gort %.6g, Linux + Go %.6g\n",
				w->label, i + 1, opt->runs, gort[i], go[i]);
	}
	if (res.ok) {
		res.gort = median(gort, opt->runs);
		res.go = median(go, opt->runs);
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

/* ratio formats a/b as "0.03x", or "-" when b is 0. */
static const char *ratio(double a, double b)
{
	static char s[32];

	if (b == 0)
		return "-";
	snprintf(s, sizeof s, "%.3gx", a / b);
	return s;
}

static void print_size_row(const char *label, uint64_t gort, uint64_t go)
{
	char g[32], l[32];

	snprintf(g, sizeof g, "%.1f KiB", gort / 1024.0);
	snprintf(l, sizeof l, "%.1f KiB", go / 1024.0);
	printf("%-34s %12s %12s %9s\n", label, g, l, ratio((double)gort, (double)go));
}

static void print_sizes(const struct options *opt)
{
	char *elf = xasprintf("%s/x86_64/bench/%s.elf", opt->build, size_workload);
	char *gobin = xasprintf("%s/bench/go/%s", opt->build, size_workload);
	char *cpio = xasprintf("%s/bench/%s.cpio", opt->build, size_workload);
	uint64_t kernel = file_size(opt->kernel), initrd = file_size(cpio);

	printf("\n%-34s %12s %12s %9s\n", "size (boot workload)", "gort", "Linux + Go",
	       "gort/Go");
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

static void usage(void)
{
	fputs("usage: gort-bench [options]\n"
	      "  --runs N                runs per workload and guest, median reported (3)\n"
	      "  --accel auto|kvm|tcg    accelerator for both guests (auto: the runner decides\n"
	      "                          once, then both guests use its decision)\n"
	      "  --calibration-image ELF the runner's calibration guest for --accel auto\n"
	      "                          (default: the runner's own default)\n"
	      "  --smp N                 CPUs of both guests (2)\n"
	      "  --mem SIZE              memory of both guests (2G)\n"
	      "  --kernel VMLINUZ        Linux kernel (newest /boot/vmlinuz-*)\n"
	      "  --build DIR             build folder (build): DIR/tools/gort-run,\n"
	      "                          DIR/x86_64/bench/NAME.elf, DIR/bench/NAME.cpio,\n"
	      "                          DIR/bench/go/NAME\n"
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
	struct options opt = {.runs = 3, .accel = "auto", .smp = "2", .mem = "2G",
			      .build = "build"};
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
		res[i].ok = 0;
		if (opt.only != NULL && strcmp(opt.only, workloads[i].name) != 0)
			continue;
		ran++;
		res[i] = bench_workload(&opt, runner, &workloads[i]);
		failed += !res[i].ok;
	}
	if (ran == 0)
		die("no workload named %s", opt.only);

	gobin = xasprintf("%s/bench/go/%s", opt.build, size_workload);
	go_version(gobin, gover, sizeof gover);
	printf("gort-bench: QEMU x86_64 q35, %s, %s CPUs, %s memory, median of %d run%s\n",
	       opt.accel, opt.smp, opt.mem, opt.runs, opt.runs == 1 ? "" : "s");
	printf("Linux + Go: %s, %s static binary as /init\n\n", basename(opt.kernel), gover);
	printf("%-34s %12s %12s %9s\n", "workload", "gort", "Linux + Go", "gort/Go");
	for (int i = 0; i < NWORKLOADS; i++) {
		if (opt.only != NULL && strcmp(opt.only, workloads[i].name) != 0)
			continue;
		if (res[i].ok)
			printf("%-34s %12.*f %12.*f %9s\n", workloads[i].label,
			       workloads[i].decimals, res[i].gort, workloads[i].decimals,
			       res[i].go, ratio(res[i].gort, res[i].go));
		else
			printf("%-34s %12s %12s %9s\n", workloads[i].label, "failed", "failed",
			       "-");
	}
	print_sizes(&opt);
	free(runner);
	free(gobin);
	return failed ? 1 : 0;
}
