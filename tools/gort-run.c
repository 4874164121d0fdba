/*
 * gort-run: boot a gort image under QEMU and make it behave like a program.
 *
 *   gort-run --arch A --image ELF [--cmdline STR] [--smp N] [--mem SIZE] [--out DIR]
 *            [--accel auto|kvm|tcg] [--machine NAME] [--cpu MODEL] [--timeout SECONDS]
 *            [--mark TEXT]
 *            [--calibration-image ELF] [--raw-image] [--verbose]
 *   gort-run --linux VMLINUZ --initrd INITRD [the same options]
 *
 * The guest's console is the runner's stdout, streamed line by line as it arrives, with
 * the protocol records taken out and backtrace lines symbolized (run_console.h). The guest's
 * exit status is the runner's exit status. Everything the runner itself has to say goes
 * to stderr, prefixed "gort-run: ":
 *
 *   guest reported "exit N"           exit N
 *   no report, QEMU status != 0       "QEMU failed (status S)" + QEMU's stderr, exit 125
 *   no report, QEMU status 0          "guest stopped without reporting an exit status", 125
 *   KVM cannot run the guest code     "QEMU failed (...)" + QEMU's stderr, exit 125 (QEMU
 *                                     stops such a guest and would wait forever)
 *   the time limit passed             QEMU's process group is killed, "timed out after T s",
 *                                     exit 124
 *   SIGINT, SIGTERM or SIGHUP         passed on to QEMU; the runner then dies of the same
 *                                     signal
 *   bad arguments                     a one-line reason, exit 125
 *
 * If the guest never printed its boot record, whatever the console showed (firmware
 * output) is printed to stderr as well.
 *
 * --linux boots the benchmark's comparison guest: a Linux kernel and initramfs on x86_64
 * q35 with "console=ttyS0 panic=-1 quiet" before --cmdline. Its console passes through
 * unchanged (no records); QEMU's exit status 0 is success.
 *
 * --mark TEXT reports "mark <seconds since QEMU started>" when a console line containing
 * TEXT first appears: the benchmark's stopwatch.
 *
 * --out DIR is created if missing; it receives the files a guest sends over the console.
 *
 * The accelerator (run_accel.h): aarch64 and riscv64 guests, and any guest whose arch is
 * not the host's, run under TCG. An x86_64 guest on an x86_64 host with --accel auto runs
 * under KVM only if a calibration boot proved KVM faster than TCG here; the verdict is
 * cached in accel.cache next to this program. The calibration image defaults to
 * ../x86_64/guest/calibrate.elf relative to this program (build/tools/ ->
 * build/x86_64/guest/). Without one and without a cached verdict, the runner uses TCG.
 */
#define _GNU_SOURCE
#include "tools/host.h"
#include "tools/run_accel.h"
#include "tools/run_addr2line.h"
#include "tools/run_console.h"
#include "tools/run_proc.h"
#include "tools/run_qemu.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

enum {
	EXIT_TIMEOUT = 124,
	EXIT_RUNNER = 125, /* QEMU failed, the guest said nothing, or bad arguments */
};

/* Time limit for the TCG calibration boot (the KVM one gets the time TCG took). */
static const double calibration_timeout = 60.0;

/* Calibration boots use microvm with one CPU and 512 MiB whatever the run asks for: the
 * verdict is about the host, and microvm has no firmware to run first (q35's SeaBIOS adds
 * 0.07 s under TCG and 1.5 s under an emulating KVM), so what is timed is the guest. */
static const char calibration_machine[] = "microvm";
static const char calibration_mem[] = "512M";

struct options {
	enum qemu_arch arch;
	bool have_arch;
	const char *image;
	const char *linux_kernel;
	const char *initrd;
	const char *cmdline;
	int smp;
	const char *mem;
	const char *out;
	const char *accel; /* "auto", "kvm" or "tcg" */
	const char *machine;
	const char *cpu; /* NULL: the arch's default for the accelerator */
	double timeout;
	const char *timeout_text;
	const char *mark;
	const char *calibration;
	bool raw_image; /* boot the Image beside the ELF */
	char raw_image_path[4096];
	bool verbose;
};

static const char usage_text[] =
    "usage: gort-run --arch ARCH --image ELF [options]\n"
    "       gort-run --linux VMLINUZ --initrd INITRD [options]\n"
    "\n"
    "Boot a gort image under QEMU; its console is stdout, its exit status is ours.\n"
    "\n"
    "  --arch ARCH               x86_64, aarch64 or riscv64\n"
    "  --image ELF               the gort image to boot\n"
    "  --linux VMLINUZ           boot a Linux kernel instead (x86_64 q35; benchmarks)\n"
    "  --initrd INITRD           its initramfs (with --linux)\n"
    "  --cmdline STR             the boot command line (-append)\n"
    "  --smp N                   CPUs (default 1)\n"
    "  --mem SIZE                RAM, QEMU syntax (default 512M)\n"
    "  --out DIR                 folder for files the guest sends (created if missing)\n"
    "  --accel auto|kvm|tcg      accelerator (default auto: KVM only if measured faster)\n"
    "  --machine NAME            x86_64: q35 (default) or microvm; others: virt\n"
    "  --cpu MODEL               QEMU's -cpu (e.g. cortex-a72); default: max under TCG\n"
    "                            (riscv64: QEMU's rv64), host under KVM\n"
    "  --timeout SECONDS         kill QEMU after this long, exit 124 (default 60, 0: never)\n"
    "  --mark TEXT               report \"gort-run: mark SECONDS\" when TEXT first appears\n"
    "  --calibration-image ELF   x86_64 image that measures KVM against TCG\n"
    "                            (default: ../x86_64/guest/calibrate.elf next to gort-run)\n"
    "  --raw-image               aarch64, riscv64: boot the raw Image beside the ELF (the\n"
    "                            form U-Boot's booti loads) instead of the ELF\n"
    "  --verbose                 print the QEMU command line and the accelerator decision\n"
    "  -h, --help                this text\n"
    "\n"
    "Exit status: the guest's; 124 on timeout; 125 if QEMU failed, the guest ended without\n"
    "reporting a status, or the arguments are wrong.\n";

static int parse_int(const char *opt, const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		die("%s must be a whole number from %d to %d, not \"%s\"", opt, lo, hi, s);
	return (int)v;
}

static double parse_seconds(const char *opt, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0) || v > 1e6)
		die("%s must be a number of seconds (0 for no limit), not \"%s\"", opt, s);
	return v;
}

/* check_mem accepts QEMU's -m sizes: a number with an optional K, M, G or T suffix. */
static void check_mem(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (digits == 0 ||
	    (s[digits] != '\0' && (strchr("KMGTkmgt", s[digits]) == NULL || s[digits + 1] != '\0')))
		die("--mem must be a size such as 512M or 2G, not \"%s\"", s);
}

/* The options that take a value (all but --verbose and --help). */
static const char *const valued_options[] = {
    "--arch", "--image", "--linux",   "--initrd", "--cmdline", "--smp",  "--mem",
    "--out",  "--accel", "--machine", "--cpu",    "--timeout", "--mark", "--calibration-image",
};

static bool known_option(const char *a, size_t n)
{
	for (size_t i = 0; i < sizeof valued_options / sizeof valued_options[0]; i++)
		if (strlen(valued_options[i]) == n && strncmp(a, valued_options[i], n) == 0)
			return true;
	return false;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){
	    .smp = 1, .mem = "512M", .accel = "auto", .timeout = 60, .timeout_text = "60"};

	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *val = NULL, *eq;
		size_t name_len;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (strcmp(a, "--verbose") == 0) {
			o->verbose = true;
			continue;
		}
		if (strcmp(a, "--raw-image") == 0) {
			o->raw_image = true;
			continue;
		}
		if (strncmp(a, "--", 2) != 0)
			die("unexpected argument \"%s\" (gort-run -h for usage)", a);
		eq = strchr(a, '=');
		name_len = eq != NULL ? (size_t)(eq - a) : strlen(a);
		if (!known_option(a, name_len))
			die("unknown option %.*s (gort-run -h for usage)", (int)name_len, a);
		if (eq != NULL) {
			*eq = '\0';
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			die("%s needs a value (gort-run -h for usage)", a);
		}
		if (strcmp(a, "--arch") == 0) {
			if (!qemu_arch_parse(val, &o->arch))
				die("unknown arch \"%s\": use x86_64, aarch64 or riscv64", val);
			o->have_arch = true;
		} else if (strcmp(a, "--image") == 0) {
			o->image = val;
		} else if (strcmp(a, "--linux") == 0) {
			o->linux_kernel = val;
		} else if (strcmp(a, "--initrd") == 0) {
			o->initrd = val;
		} else if (strcmp(a, "--cmdline") == 0) {
			o->cmdline = val;
		} else if (strcmp(a, "--smp") == 0) {
			o->smp = parse_int("--smp", val, 1, 255);
		} else if (strcmp(a, "--mem") == 0) {
			check_mem(val);
			o->mem = val;
		} else if (strcmp(a, "--out") == 0) {
			o->out = val;
		} else if (strcmp(a, "--accel") == 0) {
			if (strcmp(val, "auto") != 0 && strcmp(val, "kvm") != 0 &&
			    strcmp(val, "tcg") != 0)
				die("--accel must be auto, kvm or tcg, not \"%s\"", val);
			o->accel = val;
		} else if (strcmp(a, "--machine") == 0) {
			o->machine = val;
		} else if (strcmp(a, "--cpu") == 0) {
			if (val[0] == '\0')
				die("--cpu needs a CPU model");
			o->cpu = val;
		} else if (strcmp(a, "--timeout") == 0) {
			o->timeout = parse_seconds("--timeout", val);
			o->timeout_text = val;
		} else if (strcmp(a, "--mark") == 0) {
			o->mark = val;
		} else if (strcmp(a, "--calibration-image") == 0) {
			o->calibration = val;
		}
	}

	if (o->linux_kernel != NULL) {
		if (o->image != NULL)
			die("--image and --linux exclude each other");
		if (o->initrd == NULL)
			die("--linux needs --initrd");
		if (o->have_arch && o->arch != ARCH_X86_64)
			die("--linux boots x86_64 only");
		o->arch = ARCH_X86_64;
	} else {
		if (o->image == NULL)
			die("--image ELF (or --linux) is required (gort-run -h for usage)");
		if (!o->have_arch)
			die("--arch is required with --image");
		if (o->initrd != NULL)
			die("--initrd goes with --linux");
		if (o->raw_image) {
			size_t len = strlen(o->image);
			if (o->arch == ARCH_X86_64)
				die("--raw-image: x86_64 boots its ELF (PVH) only");
			if (len < 4 || strcmp(o->image + len - 4, ".elf") != 0)
				die("--raw-image needs --image NAME.elf (the Image is NAME.Image)");
			snprintf(o->raw_image_path, sizeof o->raw_image_path, "%.*s.Image",
				 (int)(len - 4), o->image);
			o->image = o->raw_image_path;
		}
	}
	if (o->machine != NULL && !qemu_machine_supported(o->arch, o->machine))
		die("machine \"%s\" is not one gort boots on %s (%s)", o->machine,
		    qemu_arch_name(o->arch), o->arch == ARCH_X86_64 ? "q35 or microvm" : "virt");
	if (o->mark != NULL && o->mark[0] == '\0')
		die("--mark needs a non-empty text");
}

static void check_readable(const char *what, const char *path)
{
	if (access(path, R_OK) != 0)
		die("cannot read %s %s: %s", what, path, strerror(errno));
}

/* make_dirs is mkdir -p. */
static void make_dirs(const char *path)
{
	char buf[PATH_MAX];
	struct stat st;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		die("--out path is too long");
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			die("cannot create %s: %s", buf, strerror(errno));
		*p = c;
		if (c == '\0')
			break;
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		die("--out %s is not a folder", path);
}

/* program_dir finds the folder holding this executable (build/tools). */
static bool program_dir(char *buf, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (len <= 0)
		return false;
	exe[len] = '\0';
	return snprintf(buf, n, "%s", dirname(exe)) < (int)n;
}

/* The common part of every QEMU run the runner makes. */
static struct qemu_config base_config(const struct options *o, enum accel accel)
{
	return (struct qemu_config){
	    .arch = o->arch,
	    .machine = o->machine,
	    .cpu = o->cpu,
	    .accel = accel,
	    .kernel = o->linux_kernel != NULL ? o->linux_kernel : o->image,
	    .initrd = o->initrd,
	    .cmdline = o->cmdline,
	    .linux_mode = o->linux_kernel != NULL,
	    .smp = o->smp,
	    .mem = o->mem,
	};
}

/* die_of re-raises the signal that interrupted the runner, after its children are gone. */
static void die_of(int sig) __attribute__((noreturn));

static void die_of(int sig)
{
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

/* calibrate boots the calibration image once under accel with a time limit. */
static struct accel_run calibrate(const struct options *o, const char *image, enum accel accel,
				  double limit, int sigfd)
{
	struct qemu_config cfg = base_config(o, accel);
	struct console_config cc = {.records = true};
	struct accel_run run;
	struct qemu_args args;
	struct qemu_result r;
	struct console con;

	cfg.machine = calibration_machine;
	cfg.cpu = NULL;
	cfg.smp = 1;
	cfg.mem = calibration_mem;
	cfg.kernel = image;
	cfg.initrd = NULL;
	cfg.cmdline = NULL;
	cfg.linux_mode = false;
	qemu_args_build(&args, &cfg);
	console_init(&con, &cc);
	qemu_run(args.argv, limit, sigfd, &con, &r);
	console_finish(&con, r.seconds);
	if (r.end == QEMU_INTERRUPTED)
		die_of(r.interrupt);
	run.seconds = r.seconds;
	if (r.end == QEMU_TIMED_OUT)
		run.outcome = ACCEL_RAN_TIMEOUT;
	else if (r.end == QEMU_EXITED && con.exited && con.exit_status == 0)
		run.outcome = ACCEL_RAN_OK;
	else
		run.outcome = ACCEL_RAN_FAILED;
	console_free(&con);
	qemu_args_free(&args);
	free(r.stderr_text);
	return run;
}

/* auto_accel is --accel auto for a guest that KVM could run: cached verdict, or measure. */
static enum accel auto_accel(const struct options *o, int sigfd, char *why, size_t n)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], key[512], default_image[PATH_MAX + 64];
	const char *image = o->calibration;
	struct accel_cache_entry e;
	struct accel_verdict v;
	char desc[160];
	int fd = -1;

	if (!accel_host_key(key, sizeof key))
		key[0] = '\0';
	if (program_dir(dir, sizeof dir)) {
		snprintf(path, sizeof path, "%s/accel.cache", dir);
		if (key[0] != '\0')
			fd = accel_cache_open(path);
		snprintf(default_image, sizeof default_image, "%s/../x86_64/guest/calibrate.elf",
			 dir);
		if (image == NULL && access(default_image, R_OK) == 0)
			image = default_image;
	}
	if (fd >= 0 && accel_cache_read(fd, key, &e)) {
		accel_cache_close(fd);
		accel_describe(desc, sizeof desc, &e.tcg, &e.kvm);
		snprintf(why, n, "cached: %s", desc);
		return e.accel;
	}
	if (image == NULL) {
		accel_cache_close(fd);
		snprintf(why, n, "no calibration image to measure kvm with");
		return ACCEL_TCG;
	}
	e.tcg = calibrate(o, image, ACCEL_TCG, calibration_timeout, sigfd);
	if (e.tcg.outcome == ACCEL_RAN_OK)
		e.kvm = calibrate(o, image, ACCEL_KVM, e.tcg.seconds, sigfd);
	else
		e.kvm = (struct accel_run){ACCEL_RAN_FAILED, 0};
	v = accel_decide(&e.tcg, &e.kvm);
	e.accel = v.accel;
	if (v.cacheable && fd >= 0)
		accel_cache_write(fd, key, &e);
	accel_cache_close(fd);
	if (e.tcg.outcome == ACCEL_RAN_OK)
		accel_describe(why, n, &e.tcg, &e.kvm);
	else
		snprintf(why, n, "the calibration image failed under tcg");
	return v.accel;
}

/* choose_accel applies --accel and the host's abilities; why explains it for --verbose. */
static enum accel choose_accel(const struct options *o, int sigfd, char *why, size_t n)
{
	struct utsname u;
	char kvm_why[160];
	bool native = uname(&u) == 0 && strcmp(u.machine, qemu_arch_name(o->arch)) == 0;

	if (strcmp(o->accel, "tcg") == 0) {
		snprintf(why, n, "forced");
		return ACCEL_TCG;
	}
	if (!native || !accel_kvm_usable(kvm_why, sizeof kvm_why)) {
		if (!native)
			snprintf(kvm_why, sizeof kvm_why, "%s guest, %s host",
				 qemu_arch_name(o->arch), u.machine);
		if (strcmp(o->accel, "kvm") == 0)
			die("--accel kvm: %s", kvm_why);
		snprintf(why, n, "%s", kvm_why);
		return ACCEL_TCG;
	}
	if (strcmp(o->accel, "kvm") == 0) {
		snprintf(why, n, "forced");
		return ACCEL_KVM;
	}
	return auto_accel(o, sigfd, why, n);
}

/* print_command shows argv the way a shell would take it. */
static void print_command(char *const argv[])
{
	fputs("gort-run:", stderr);
	for (int i = 0; argv[i] != NULL; i++) {
		const char *a = argv[i];
		if (a[0] != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					      "0123456789_-+=,.:/@%") == strlen(a)) {
			fprintf(stderr, " %s", a);
			continue;
		}
		fputs(" '", stderr);
		for (; *a != '\0'; a++) {
			if (*a == '\'')
				fputs("'\\''", stderr);
			else
				fputc(*a, stderr);
		}
		fputc('\'', stderr);
	}
	fputc('\n', stderr);
}

/* show_dropped prints the console output that came before a boot record that never came.
 * The guest's "\r\n" becomes "\n", and other control bytes are shown in caret notation
 * (ESC as ^[) so that firmware escape codes cannot clear or garble the user's terminal. */
static void show_dropped(const struct console *c)
{
	const unsigned char *s = (const unsigned char *)c->dropped.data;
	size_t n = c->dropped.len;

	if (n == 0)
		return;
	fputs("gort-run: the guest never printed its boot record; the console showed:\n", stderr);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f)
			fprintf(stderr, "^%c", s[i] ^ 0x40);
		else
			fputc(s[i], stderr);
	}
	if (s[n - 1] != '\n')
		fputc('\n', stderr);
	if (c->dropped_lost > 0)
		fprintf(stderr, "gort-run: (and %zu more bytes)\n", c->dropped_lost);
}

static void show_qemu_stderr(const struct qemu_result *r)
{
	if (r->stderr_len == 0)
		return;
	fwrite(r->stderr_text, 1, r->stderr_len, stderr);
	if (r->stderr_text[r->stderr_len - 1] != '\n')
		fputc('\n', stderr);
}

/* verdict maps how the run ended to the runner's exit status, with its message. */
static int verdict(const struct options *o, const struct console *con, const struct qemu_result *r)
{
	if (!con->booted)
		show_dropped(con);
	if (r->end == QEMU_TIMED_OUT) {
		fprintf(stderr, "gort-run: timed out after %s s\n", o->timeout_text);
		return EXIT_TIMEOUT;
	}
	if (con->exited)
		return con->exit_status;
	if (r->end == QEMU_EXITED && r->status == 0) {
		if (o->linux_kernel != NULL)
			return 0;
		fputs("gort-run: guest stopped without reporting an exit status\n", stderr);
		show_qemu_stderr(r);
		return EXIT_RUNNER;
	}
	if (r->end == QEMU_EXITED)
		fprintf(stderr, "gort-run: QEMU failed (status %d)\n", r->status);
	else if (r->end == QEMU_SIGNALED)
		fprintf(stderr, "gort-run: QEMU failed (killed by signal %d, %s)\n", r->status,
			strsignal(r->status));
	else if (r->end == QEMU_STOPPED)
		fputs("gort-run: QEMU failed (KVM cannot run this guest code; QEMU stopped the "
		      "guest)\n",
		      stderr);
	else
		fputs("gort-run: QEMU failed (not started)\n", stderr);
	if (r->end == QEMU_EXITED && con->booted && r->stderr_len == 0)
		fputs("gort-run: (the guest had booted: it ended QEMU without an exit record)\n",
		      stderr);
	show_qemu_stderr(r);
	return EXIT_RUNNER;
}

/* symbols_file names the file addr2line reads for image: the image itself, or, for the raw
 * Image form (aarch64, riscv64), the ELF it was made from, which sits beside it. */
static const char *symbols_file(const char *image, char *buf, size_t n)
{
	const char *suffix = ".Image";
	size_t len = strlen(image), slen = strlen(suffix);

	if (len <= slen || strcmp(image + len - slen, suffix) != 0)
		return image;
	snprintf(buf, n, "%.*s.elf", (int)(len - slen), image);
	return access(buf, R_OK) == 0 ? buf : image;
}

int main(int argc, char **argv)
{
	struct options o;
	struct qemu_config cfg;
	struct qemu_args args;
	struct qemu_result r;
	struct addr2line sym;
	struct console con;
	struct console_config cc;
	char why[256], elf[4096];
	enum accel accel;
	int sigfd, status;

	host_init("gort-run", EXIT_RUNNER);
	parse_args(argc, argv, &o);
	if (o.linux_kernel != NULL) {
		check_readable("kernel", o.linux_kernel);
		check_readable("initrd", o.initrd);
	} else {
		check_readable("image", o.image);
	}
	if (o.calibration != NULL)
		check_readable("calibration image", o.calibration);
	if (o.out != NULL)
		make_dirs(o.out);
	sigfd = proc_signals_init();
	if (sigfd < 0)
		die("cannot set up signal handling: %s", strerror(errno));

	accel = choose_accel(&o, sigfd, why, sizeof why);
	if (o.verbose)
		fprintf(stderr, "gort-run: accel %s (%s)\n", accel_name(accel), why);
	cfg = base_config(&o, accel);
	qemu_args_build(&args, &cfg);
	if (o.verbose)
		print_command(args.argv);

	addr2line_init(&sym, o.image != NULL ? symbols_file(o.image, elf, sizeof elf) : NULL);
	cc = (struct console_config){
	    .out = stdout,
	    .diag = stderr,
	    .records = o.linux_kernel == NULL,
	    .mark = o.mark,
	    .symbolize = o.linux_kernel == NULL ? addr2line_symbolize : NULL,
	    .symbolize_ctx = &sym,
	};
	console_init(&con, &cc);
	qemu_run(args.argv, o.timeout, sigfd, &con, &r);
	console_finish(&con, r.seconds);
	addr2line_close(&sym);
	fflush(stdout);
	if (r.end == QEMU_INTERRUPTED)
		die_of(r.interrupt);
	status = verdict(&o, &con, &r);
	if (o.verbose && (status != EXIT_RUNNER || r.end == QEMU_TIMED_OUT))
		show_qemu_stderr(&r);
	console_free(&con);
	qemu_args_free(&args);
	free(r.stderr_text);
	return status;
}
