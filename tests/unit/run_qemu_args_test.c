/*
 * run_qemu_args_test: the QEMU command lines the runner builds (tools/run_qemu.c).
 *
 * Each arch must get its exit device (without it the guest's exit status never reaches
 * the host), its machine and CPU, the console on stdio with no graphics and no reboot,
 * and -append exactly when there is a command line; KVM must never get a CPU model that
 * touches IA32_ARCH_CAPABILITIES; --linux must put Linux's console settings before the
 * user's command line and drop the exit device. Each failed check prints its line; the
 * exit status is 0 only if all pass.
 */
#define _GNU_SOURCE
#include "tools/run_qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

/* joined returns the command line as one space-separated string (static buffer). */
static const char *joined(const struct qemu_args *a)
{
	static char buf[2048];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < a->argc; i++)
		len +=
		    (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? " " : "", a->argv[i]);
	return buf;
}

/* value returns the argument after the first occurrence of opt, or NULL. */
static const char *value(const struct qemu_args *a, const char *opt)
{
	for (int i = 0; i + 1 < a->argc; i++)
		if (strcmp(a->argv[i], opt) == 0)
			return a->argv[i + 1];
	return NULL;
}

static bool has(const struct qemu_args *a, const char *arg)
{
	for (int i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], arg) == 0)
			return true;
	return false;
}

static struct qemu_config config(enum qemu_arch arch)
{
	return (struct qemu_config){
	    .arch = arch, .accel = ACCEL_TCG, .kernel = "img.elf", .smp = 2, .mem = "512M"};
}

static void common(const struct qemu_args *a)
{
	CHECK(a->argv[a->argc] == NULL);
	CHECK(has(a, "-nodefaults") && has(a, "-no-reboot"));
	CHECK(value(a, "-display") != NULL && strcmp(value(a, "-display"), "none") == 0);
	CHECK(value(a, "-serial") != NULL && strcmp(value(a, "-serial"), "chardev:con") == 0);
	CHECK(value(a, "-chardev") != NULL &&
	      strcmp(value(a, "-chardev"), "stdio,id=con,signal=off") == 0);
	CHECK(strcmp(value(a, "-smp"), "2") == 0 && strcmp(value(a, "-m"), "512M") == 0);
	CHECK(strcmp(value(a, "-kernel"), "img.elf") == 0);
}

static void test_x86_64(void)
{
	struct qemu_config c = config(ARCH_X86_64);
	struct qemu_args a;

	qemu_args_build(&a, &c);
	common(&a);
	CHECK(strcmp(a.argv[0], "qemu-system-x86_64") == 0);
	CHECK(strcmp(value(&a, "-M"), "q35") == 0);
	CHECK(strcmp(value(&a, "-accel"), "tcg") == 0 && strcmp(value(&a, "-cpu"), "max") == 0);
	CHECK(strstr(joined(&a), "-device isa-debug-exit,iobase=0xf4,iosize=4") != NULL);
	CHECK(!has(&a, "-append") && !has(&a, "-initrd"));
	qemu_args_free(&a);

	c.accel = ACCEL_KVM;
	c.machine = "microvm";
	c.cmdline = "GOGC=50 -- a b";
	qemu_args_build(&a, &c);
	CHECK(strcmp(value(&a, "-M"), "microvm") == 0);
	CHECK(strcmp(value(&a, "-accel"), "kvm") == 0);
	CHECK(strcmp(value(&a, "-cpu"), "host,-arch-capabilities") == 0);
	CHECK(strcmp(value(&a, "-append"), "GOGC=50 -- a b") == 0);
	qemu_args_free(&a);

	c.cmdline = ""; /* an empty command line is no -append at all */
	qemu_args_build(&a, &c);
	CHECK(!has(&a, "-append"));
	qemu_args_free(&a);
}

static void test_aarch64(void)
{
	struct qemu_config c = config(ARCH_AARCH64);
	struct qemu_args a;

	qemu_args_build(&a, &c);
	common(&a);
	CHECK(strcmp(a.argv[0], "qemu-system-aarch64") == 0);
	CHECK(strcmp(value(&a, "-M"), "virt") == 0 && strcmp(value(&a, "-cpu"), "max") == 0);
	CHECK(strcmp(value(&a, "-semihosting-config"), "enable=on,target=native") == 0);
	CHECK(!has(&a, "-device"));
	qemu_args_free(&a);

	c.cpu = "cortex-a72"; /* --cpu replaces the default model */
	qemu_args_build(&a, &c);
	CHECK(strcmp(value(&a, "-cpu"), "cortex-a72") == 0);
	qemu_args_free(&a);
}

static void test_riscv64(void)
{
	struct qemu_config c = config(ARCH_RISCV64);
	struct qemu_args a;

	qemu_args_build(&a, &c);
	common(&a);
	CHECK(strcmp(a.argv[0], "qemu-system-riscv64") == 0);
	CHECK(strcmp(value(&a, "-M"), "virt") == 0);
	CHECK(!has(&a, "-bios")); /* QEMU's bundled OpenSBI starts the kernel in S-mode */
	CHECK(!has(&a, "-device") && !has(&a, "-semihosting-config"));
	CHECK(!has(&a, "-cpu"));
	qemu_args_free(&a);

	c.cpu = "rv64,sstc=off";
	qemu_args_build(&a, &c);
	CHECK(strcmp(value(&a, "-cpu"), "rv64,sstc=off") == 0);
	qemu_args_free(&a);
}

static void test_linux(void)
{
	struct qemu_config c = config(ARCH_X86_64);
	struct qemu_args a;

	c.linux_mode = true;
	c.kernel = "vmlinuz";
	c.initrd = "boot.cpio";
	qemu_args_build(&a, &c);
	CHECK(strcmp(value(&a, "-append"), "console=ttyS0 panic=-1 quiet") == 0);
	CHECK(strcmp(value(&a, "-initrd"), "boot.cpio") == 0);
	CHECK(strcmp(value(&a, "-kernel"), "vmlinuz") == 0);
	CHECK(!has(&a, "-device"));
	qemu_args_free(&a);

	c.cmdline = "GOGC=off";
	qemu_args_build(&a, &c);
	CHECK(strcmp(value(&a, "-append"), "console=ttyS0 panic=-1 quiet GOGC=off") == 0);
	qemu_args_free(&a);
}

static void test_names(void)
{
	enum qemu_arch arch;

	CHECK(qemu_arch_parse("riscv64", &arch) && arch == ARCH_RISCV64);
	CHECK(!qemu_arch_parse("x86", &arch) && !qemu_arch_parse("", &arch));
	CHECK(strcmp(qemu_arch_name(ARCH_AARCH64), "aarch64") == 0);
	CHECK(strcmp(qemu_default_machine(ARCH_X86_64), "q35") == 0);
	CHECK(qemu_machine_supported(ARCH_X86_64, "microvm"));
	CHECK(qemu_machine_supported(ARCH_X86_64, "microvm,acpi=off"));
	CHECK(!qemu_machine_supported(ARCH_X86_64, "micro"));
	CHECK(!qemu_machine_supported(ARCH_X86_64, "virt"));
	CHECK(qemu_machine_supported(ARCH_AARCH64, "virt,gic-version=3"));
	CHECK(!qemu_machine_supported(ARCH_RISCV64, "q35"));
}

int main(void)
{
	test_x86_64();
	test_aarch64();
	test_riscv64();
	test_linux();
	test_names();
	return check_status("run_qemu_args_test");
}
