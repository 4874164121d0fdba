/*
 * run_qemu.h - the QEMU command line for each arch, and one supervised QEMU run.
 *
 * qemu_args builds the command line (pure, unit-tested by tests/unit/run_qemu_args_test.c).
 * qemu_run starts QEMU with its serial console on a pipe, feeds that pipe to a console
 * demultiplexer as bytes arrive, keeps QEMU's stderr for error reports, enforces the time
 * limit, forwards SIGINT/SIGTERM/SIGHUP, and reaps QEMU.
 */
#ifndef GORT_TOOLS_RUN_QEMU_H
#define GORT_TOOLS_RUN_QEMU_H

#include "tools/run_accel.h"
#include "tools/run_console.h"

#include <stdbool.h>

/* The arches gort boots, in this order everywhere. */
enum qemu_arch { ARCH_X86_64, ARCH_AARCH64, ARCH_RISCV64, ARCH_COUNT };

/* Parse "x86_64", "aarch64" or "riscv64"; false for anything else. */
bool qemu_arch_parse(const char *name, enum qemu_arch *arch);
const char *qemu_arch_name(enum qemu_arch arch);

/* The machine a guest of this arch boots on without --machine. */
const char *qemu_default_machine(enum qemu_arch arch);

/* Whether machine ("q35", "microvm,acpi=off", ...) is one gort boots on for this arch;
 * properties after the first comma are QEMU's to check. */
bool qemu_machine_supported(enum qemu_arch arch, const char *machine);

struct qemu_config {
	enum qemu_arch arch;
	const char *machine; /* NULL: qemu_default_machine */
	const char *cpu;     /* -cpu; NULL: the arch's default for the accelerator */
	enum accel accel;
	const char *kernel;  /* the gort ELF, or the Linux kernel with linux_mode */
	const char *initrd;  /* linux_mode only */
	const char *cmdline; /* NULL or "" for none */
	bool linux_mode;     /* the benchmark's Linux guest: no exit device, Linux's cmdline */
	int smp;
	const char *mem; /* QEMU -m syntax, e.g. "512M" */
};

enum { QEMU_ARGS_MAX = 48 };

/* A built command line. argv points into the config's strings, string literals and the
 * two strings this struct owns. */
struct qemu_args {
	char *argv[QEMU_ARGS_MAX + 1]; /* NULL-terminated */
	int argc;
	char *smp;    /* owned */
	char *append; /* owned */
};

void qemu_args_build(struct qemu_args *a, const struct qemu_config *cfg);
void qemu_args_free(struct qemu_args *a);

/* How a run ended. */
enum qemu_end {
	QEMU_EXITED,      /* QEMU exited by itself; status is its exit status */
	QEMU_SIGNALED,    /* QEMU was killed by a signal the runner did not send; status */
	QEMU_TIMED_OUT,   /* the runner killed it at the time limit */
	QEMU_INTERRUPTED, /* the runner got `interrupt` and passed it on */
	QEMU_STOPPED,     /* KVM could not go on: QEMU stopped the guest, the runner ended it */
	QEMU_NOT_STARTED, /* fork or pipe failed; errno-style reason in stderr_text */
};

struct qemu_result {
	enum qemu_end end;
	int status;        /* exit status (QEMU_EXITED) or signal number (QEMU_SIGNALED) */
	int interrupt;     /* the signal the runner received (QEMU_INTERRUPTED) */
	double seconds;    /* from QEMU start until it ended or was killed */
	char *stderr_text; /* what QEMU wrote to stderr (capped), NUL-terminated; free() it */
	size_t stderr_len;
};

/*
 * qemu_run runs argv to completion, feeding its stdout to con. timeout is in seconds,
 * 0 for none. sigfd is proc_signals_init's descriptor. The console is not finished (the
 * caller calls console_finish, after which it can inspect everything).
 */
void qemu_run(char *const argv[], double timeout, int sigfd, struct console *con,
	      struct qemu_result *r);

#endif
