/*
 * run_accel.c - the accelerator verdict, its cache, and the host facts it is keyed by.
 *
 * The verdict (accel_decide) is deliberately simple: KVM wins only when its calibration boot
 * succeeded and took less wall time than a successful TCG boot of the same image. Both
 * times include QEMU's own start-up, which costs about the same under either accelerator,
 * so a KVM that runs guest code at hardware speed wins by the guest's loop time and an
 * emulating KVM loses by orders of magnitude (DESIGN.md, "Accelerators"). If the TCG
 * reference itself fails, nothing was learned: TCG is used and the verdict is not cached.
 *
 * The cache is one line in build/tools/accel.cache:
 *
 *   gort-accel-v1 <tcg|kvm> <tcg outcome> <tcg s> <kvm outcome> <kvm s> <key>\n
 *
 * where the key (last, as it contains spaces) is "<kernel release>|<CPU model>|<boot id>".
 * A new boot id (every host reboot), kernel or CPU means a miss and a fresh calibration.
 * Parallel runners (gort-test runs several) serialize on an exclusive flock of the file
 * for the whole read-calibrate-write sequence, so only the first of them calibrates.
 */
#define _GNU_SOURCE
#include "tools/run_accel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char cache_magic[] = "gort-accel-v1";

static const char *const outcome_names[] = {
    [ACCEL_RAN_OK] = "ok",
    [ACCEL_RAN_FAILED] = "failed",
    [ACCEL_RAN_TIMEOUT] = "timeout",
};

const char *accel_name(enum accel a)
{
	return a == ACCEL_KVM ? "kvm" : "tcg";
}

struct accel_verdict accel_decide(const struct accel_run *tcg, const struct accel_run *kvm)
{
	struct accel_verdict v = {ACCEL_TCG, true};

	if (tcg->outcome != ACCEL_RAN_OK) {
		v.cacheable = false;
		return v;
	}
	if (kvm->outcome == ACCEL_RAN_OK && kvm->seconds < tcg->seconds)
		v.accel = ACCEL_KVM;
	return v;
}

/* describe_run formats one measurement: "0.05 s", "failed" or "more than 0.30 s". */
static void describe_run(char *buf, size_t n, const struct accel_run *r)
{
	switch (r->outcome) {
	case ACCEL_RAN_OK:
		snprintf(buf, n, "%.2f s", r->seconds);
		break;
	case ACCEL_RAN_TIMEOUT:
		snprintf(buf, n, "more than %.2f s", r->seconds);
		break;
	default:
		snprintf(buf, n, "failed");
		break;
	}
}

void accel_describe(char *buf, size_t n, const struct accel_run *tcg, const struct accel_run *kvm)
{
	char t[48], k[48];

	describe_run(t, sizeof t, tcg);
	describe_run(k, sizeof k, kvm);
	snprintf(buf, n, "kvm measured %s vs tcg %s", k, t);
}

/* append_field appends s and then sep to buf, replacing the characters that separate fields
 * or lines in the cache file with spaces. */
static void append_field(char *buf, size_t n, size_t *len, const char *s, char sep)
{
	for (; *s != '\0' && *len + 1 < n; s++)
		buf[(*len)++] = (*s == '\t' || *s == '\n' || *s == '\r' || *s == '|') ? ' ' : *s;
	if (sep != '\0' && *len + 1 < n)
		buf[(*len)++] = sep;
	buf[*len] = '\0';
}

void accel_make_key(char *buf, size_t n, const char *release, const char *cpu_model,
		    const char *boot_id)
{
	size_t len = 0;

	if (n == 0)
		return;
	append_field(buf, n, &len, release, '|');
	append_field(buf, n, &len, cpu_model, '|');
	append_field(buf, n, &len, boot_id, '\0');
}

int accel_cache_format(char *buf, size_t n, const char *key, const struct accel_cache_entry *e)
{
	int len = snprintf(buf, n, "%s %s %s %.6f %s %.6f %s\n", cache_magic, accel_name(e->accel),
			   outcome_names[e->tcg.outcome], e->tcg.seconds,
			   outcome_names[e->kvm.outcome], e->kvm.seconds, key);

	return len < 0 || (size_t)len >= n ? -1 : len;
}

static bool parse_outcome(const char *s, enum accel_outcome *o)
{
	for (size_t i = 0; i < sizeof outcome_names / sizeof outcome_names[0]; i++) {
		if (strcmp(s, outcome_names[i]) == 0) {
			*o = (enum accel_outcome)i;
			return true;
		}
	}
	return false;
}

bool accel_cache_parse(const char *text, const char *key, struct accel_cache_entry *e)
{
	char magic[32], acc[8], tout[16], kout[16];
	double ts, ks;
	int keypos = -1;
	size_t keylen;

	if (sscanf(text, "%31s %7s %15s %lf %15s %lf %n", magic, acc, tout, &ts, kout, &ks,
		   &keypos) != 6 ||
	    keypos < 0)
		return false;
	if (strcmp(magic, cache_magic) != 0)
		return false;
	keylen = strcspn(text + keypos, "\n");
	if (keylen != strlen(key) || strncmp(text + keypos, key, keylen) != 0)
		return false;
	if (strcmp(acc, "kvm") == 0)
		e->accel = ACCEL_KVM;
	else if (strcmp(acc, "tcg") == 0)
		e->accel = ACCEL_TCG;
	else
		return false;
	if (!parse_outcome(tout, &e->tcg.outcome) || !parse_outcome(kout, &e->kvm.outcome))
		return false;
	e->tcg.seconds = ts;
	e->kvm.seconds = ks;
	return true;
}

/* read_first_line finds the first line of path starting with prefix and copies its value
 * (after "prefix ... :", or the whole line when prefix is empty) into buf. */
static bool read_first_line(const char *path, const char *prefix, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[512];
	bool found = false;

	if (f == NULL)
		return false;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			const char *v = line + strlen(prefix);
			if (*prefix != '\0') {
				v = strchr(v, ':');
				if (v == NULL)
					continue;
				v += 1 + strspn(v + 1, " \t");
			}
			snprintf(buf, n, "%.*s", (int)strcspn(v, "\n"), v);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

bool accel_host_key(char *buf, size_t n)
{
	struct utsname u;
	char cpu[256] = "", boot[64] = "";
	bool have_uname = uname(&u) == 0;
	bool have_cpu = read_first_line("/proc/cpuinfo", "model name", cpu, sizeof cpu);
	bool have_boot = read_first_line("/proc/sys/kernel/random/boot_id", "", boot, sizeof boot);

	accel_make_key(buf, n, have_uname ? u.release : "", cpu, boot);
	return have_uname || have_cpu || have_boot;
}

bool accel_kvm_usable(char *why, size_t n)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int version;

	if (fd < 0) {
		snprintf(why, n, "/dev/kvm: %s", strerror(errno));
		return false;
	}
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	close(fd);
	if (version != KVM_API_VERSION) {
		snprintf(why, n, "/dev/kvm: API version %d, expected %d", version, KVM_API_VERSION);
		return false;
	}
	return true;
}

int accel_cache_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

bool accel_cache_read(int fd, const char *key, struct accel_cache_entry *e)
{
	char text[1024];
	ssize_t len = pread(fd, text, sizeof text - 1, 0);

	if (len <= 0)
		return false;
	text[len] = '\0';
	return accel_cache_parse(text, key, e);
}

bool accel_cache_write(int fd, const char *key, const struct accel_cache_entry *e)
{
	char line[1024];
	int len = accel_cache_format(line, sizeof line, key, e);

	if (len < 0 || ftruncate(fd, 0) != 0)
		return false;
	return pwrite(fd, line, (size_t)len, 0) == len;
}

void accel_cache_close(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}
