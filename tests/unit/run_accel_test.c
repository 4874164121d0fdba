/*
 * run_accel_test: the runner's accelerator verdict and its cache (tools/run_accel.c).
 *
 * KVM must win only when it measurably ran the calibration guest faster than TCG; a KVM
 * that failed, hit its time limit or merely tied loses, and a failed TCG reference yields
 * TCG without caching anything. The cache must hit only for exactly the same host key (a
 * reboot changes the boot id and forces a new measurement), survive a round trip through
 * the file with its lock, and reject damaged or foreign contents. Each failed check prints
 * its line; the exit status is 0 only if all pass.
 */
#define _GNU_SOURCE
#include "tools/run_accel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/check.h"

static struct accel_run ran(enum accel_outcome o, double s)
{
	return (struct accel_run){o, s};
}

static void test_decide(void)
{
	struct accel_run tcg = ran(ACCEL_RAN_OK, 0.30);
	struct accel_run k;
	struct accel_verdict v;

	k = ran(ACCEL_RAN_OK, 0.05); /* real KVM: hardware speed */
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_KVM && v.cacheable);

	k = ran(ACCEL_RAN_OK, 10.2); /* an emulating nested KVM */
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_TCG && v.cacheable);

	k = ran(ACCEL_RAN_OK, 0.30); /* a tie is not faster */
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_TCG);

	k = ran(ACCEL_RAN_TIMEOUT, 0.30); /* stopped at TCG's time */
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_TCG && v.cacheable);

	k = ran(ACCEL_RAN_FAILED, 0.01); /* "failed to set MSR 0x10a": quick, but a failure */
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_TCG && v.cacheable);

	tcg = ran(ACCEL_RAN_FAILED, 0.02); /* a broken calibration image teaches nothing */
	k = ran(ACCEL_RAN_OK, 0.01);
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_TCG && !v.cacheable);

	tcg = ran(ACCEL_RAN_TIMEOUT, 60);
	v = accel_decide(&tcg, &k);
	CHECK(v.accel == ACCEL_TCG && !v.cacheable);
}

static void test_describe(void)
{
	struct accel_run tcg = ran(ACCEL_RAN_OK, 0.05), k = ran(ACCEL_RAN_OK, 10.2);
	char buf[128];

	accel_describe(buf, sizeof buf, &tcg, &k);
	CHECK(strcmp(buf, "kvm measured 10.20 s vs tcg 0.05 s") == 0);
	k = ran(ACCEL_RAN_TIMEOUT, 0.05);
	accel_describe(buf, sizeof buf, &tcg, &k);
	CHECK(strcmp(buf, "kvm measured more than 0.05 s vs tcg 0.05 s") == 0);
	k = ran(ACCEL_RAN_FAILED, 0);
	accel_describe(buf, sizeof buf, &tcg, &k);
	CHECK(strcmp(buf, "kvm measured failed vs tcg 0.05 s") == 0);
	CHECK(strcmp(accel_name(ACCEL_KVM), "kvm") == 0);
	CHECK(strcmp(accel_name(ACCEL_TCG), "tcg") == 0);
}

static void test_key(void)
{
	char key[256], small[8];

	accel_make_key(key, sizeof key, "6.1.0-13-amd64", "Intel(R) Xeon(R) Processor",
		       "2edc7d78-594f-4871-bf6d-e30187df26b2");
	CHECK(strcmp(key, "6.1.0-13-amd64|Intel(R) Xeon(R) Processor|"
			  "2edc7d78-594f-4871-bf6d-e30187df26b2") == 0);
	/* separators inside a field cannot forge another field or line */
	accel_make_key(key, sizeof key, "a|b", "c\td\ne", "f");
	CHECK(strcmp(key, "a b|c d e|f") == 0);
	accel_make_key(small, sizeof small, "123456789", "x", "y");
	CHECK(strlen(small) == sizeof small - 1);
	CHECK(accel_host_key(key, sizeof key));
	CHECK(strchr(key, '\n') == NULL && strchr(key, '|') != NULL);
}

static void test_cache_text(void)
{
	const char *key = "6.1|cpu model|boot-1";
	struct accel_cache_entry e = {ACCEL_TCG, ran(ACCEL_RAN_OK, 0.31),
				      ran(ACCEL_RAN_TIMEOUT, 0.31)};
	struct accel_cache_entry got;
	char line[512], damaged[512];

	CHECK(accel_cache_format(line, sizeof line, key, &e) > 0);
	CHECK(line[strlen(line) - 1] == '\n');
	CHECK(accel_cache_parse(line, key, &got));
	CHECK(got.accel == ACCEL_TCG && got.tcg.outcome == ACCEL_RAN_OK &&
	      got.kvm.outcome == ACCEL_RAN_TIMEOUT);
	CHECK(got.tcg.seconds > 0.3099 && got.tcg.seconds < 0.3101);

	/* a different boot id, kernel or CPU is a miss; so is a key that is a prefix */
	CHECK(!accel_cache_parse(line, "6.1|cpu model|boot-2", &got));
	CHECK(!accel_cache_parse(line, "6.1|cpu model|boot-", &got));
	CHECK(!accel_cache_parse(line, "6.1|cpu model|boot-11", &got));
	CHECK(!accel_cache_parse("", key, &got));

	e.accel = ACCEL_KVM;
	e.kvm = ran(ACCEL_RAN_OK, 0.04);
	CHECK(accel_cache_format(line, sizeof line, key, &e) > 0);
	CHECK(accel_cache_parse(line, key, &got) && got.accel == ACCEL_KVM);

	snprintf(damaged, sizeof damaged, "gort-accel-v0%s", line + strlen("gort-accel-v1"));
	CHECK(!accel_cache_parse(damaged, key, &got));
	snprintf(damaged, sizeof damaged, "%.*s", (int)(strlen(line) / 2), line);
	CHECK(!accel_cache_parse(damaged, key, &got));
	CHECK(!accel_cache_parse("gort-accel-v1 hvf ok 1 ok 1 6.1|cpu model|boot-1\n", key, &got));
	CHECK(
	    !accel_cache_parse("gort-accel-v1 kvm fast 1 ok 1 6.1|cpu model|boot-1\n", key, &got));
	CHECK(accel_cache_format(line, 10, key, &e) == -1);
}

static void test_cache_file(void)
{
	const char *key = "k|m|b";
	struct accel_cache_entry e = {ACCEL_KVM, ran(ACCEL_RAN_OK, 0.2), ran(ACCEL_RAN_OK, 0.1)};
	struct accel_cache_entry got;
	char path[64];
	int fd;

	snprintf(path, sizeof path, "/tmp/run_accel_test.%d", (int)getpid());
	unlink(path);

	fd = accel_cache_open(path); /* empty file: a miss */
	CHECK(fd >= 0);
	CHECK(!accel_cache_read(fd, key, &got));
	CHECK(accel_cache_write(fd, key, &e));
	accel_cache_close(fd);

	fd = accel_cache_open(path);
	CHECK(accel_cache_read(fd, key, &got) && got.accel == ACCEL_KVM);
	CHECK(!accel_cache_read(fd, "k|m|other-boot", &got));
	/* a shorter record replaces a longer one completely */
	e.accel = ACCEL_TCG;
	CHECK(accel_cache_write(fd, "k", &e));
	accel_cache_close(fd);

	fd = accel_cache_open(path);
	CHECK(!accel_cache_read(fd, key, &got));
	CHECK(accel_cache_read(fd, "k", &got) && got.accel == ACCEL_TCG);
	accel_cache_close(fd);
	unlink(path);

	CHECK(accel_cache_open("/nonexistent-dir/accel.cache") == -1);
}

int main(void)
{
	test_decide();
	test_describe();
	test_key();
	test_cache_text();
	test_cache_file();
	return check_status("run_accel_test");
}
