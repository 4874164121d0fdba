/*
 * run_accel.h - how gort-run picks QEMU's accelerator for an x86_64 guest.
 *
 * /dev/kvm being present does not make KVM fast (see DESIGN.md, "Accelerators"), so the
 * runner measures: it boots a calibration image once under TCG and once under KVM and keeps
 * KVM only if KVM finished the same work sooner. The verdict is cached per host identity
 * (kernel release, CPU model, boot id), so the measurement costs one pair of boots per host
 * boot. This header splits that into pure pieces (the verdict, the cache key and the cache
 * line format, unit-tested by tests/unit/run_accel_test.c) and the few host probes and file
 * operations around them. Running the calibration boots is gort-run.c's business.
 */
#ifndef GORT_TOOLS_RUN_ACCEL_H
#define GORT_TOOLS_RUN_ACCEL_H

#include <stdbool.h>
#include <stddef.h>

enum accel { ACCEL_TCG, ACCEL_KVM };

/* How one calibration boot ended. */
enum accel_outcome {
	ACCEL_RAN_OK,      /* the guest reported exit status 0 */
	ACCEL_RAN_FAILED,  /* QEMU failed to start, or the guest reported another status */
	ACCEL_RAN_TIMEOUT, /* stopped at its time limit: slower than that limit */
};

struct accel_run {
	enum accel_outcome outcome;
	double seconds; /* from QEMU start to QEMU exit (or to the kill, on timeout) */
};

struct accel_verdict {
	enum accel accel;
	bool cacheable; /* false when the TCG reference run itself failed */
};

/* The decision: KVM only if its run succeeded in less time than a successful TCG run. */
struct accel_verdict accel_decide(const struct accel_run *tcg, const struct accel_run *kvm);

/* Human-readable reason, e.g. "kvm measured 10.2 s vs tcg 0.05 s". */
void accel_describe(char *buf, size_t n, const struct accel_run *tcg, const struct accel_run *kvm);

const char *accel_name(enum accel a);

/* Cache key from the three host facts; characters that would break the line format
 * (tab, newline) are replaced. */
void accel_make_key(char *buf, size_t n, const char *release, const char *cpu_model,
		    const char *boot_id);

/* One cache record: the key, the verdict and the two measurements behind it. */
struct accel_cache_entry {
	enum accel accel;
	struct accel_run tcg, kvm;
};

/* Format an entry as the cache file's single line (with '\n'). Returns the length, or -1
 * if buf is too small. */
int accel_cache_format(char *buf, size_t n, const char *key, const struct accel_cache_entry *e);

/* Parse cache file text. Returns true and fills *e only when the text is a well-formed
 * record for exactly this key (a different key, as after a reboot, is a miss). */
bool accel_cache_parse(const char *text, const char *key, struct accel_cache_entry *e);

/* Host probes. accel_host_key reads uname, /proc/cpuinfo and the boot id; it returns false
 * if none of them could be read. accel_kvm_usable opens /dev/kvm and checks the API version;
 * on failure it writes the reason into why. */
bool accel_host_key(char *buf, size_t n);
bool accel_kvm_usable(char *why, size_t n);

/* The cache file, locked for the whole read-calibrate-write sequence so that parallel
 * runners calibrate once. accel_cache_open returns a locked descriptor or -1 (then the
 * runner calibrates without caching); accel_cache_read/write operate on it. */
int accel_cache_open(const char *path);
bool accel_cache_read(int fd, const char *key, struct accel_cache_entry *e);
bool accel_cache_write(int fd, const char *key, const struct accel_cache_entry *e);
void accel_cache_close(int fd);

#endif
