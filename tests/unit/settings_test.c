/*
 * Host test of the Go environment parsers (runtime/settings.c) against
 * the behaviour of Go's runtime: atoi, parseByteCount (GOMEMLIMIT),
 * readGOGC, setTraceback and GODEBUG lookup.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/settings.h"
#include "runtime/throw.h"

#include "tests/unit/check.h"

_Noreturn void throw(const char *msg)
{
	fprintf(stderr, "unexpected throw: %s\n", msg);
	abort();
}

static int64_t byte_count(const char *s)
{
	int64_t n;
	return go_parse_byte_count(s, &n) ? n : -1;
}

int main(void)
{
	int64_t n;
	int32_t n32;
	CHECK(go_atoi64("0", &n) && n == 0);
	CHECK(go_atoi64("-12", &n) && n == -12);
	CHECK(go_atoi64("9223372036854775807", &n) && n == INT64_MAX);
	CHECK(go_atoi64("-9223372036854775808", &n) && n == INT64_MIN);
	CHECK(!go_atoi64("9223372036854775808", &n));
	CHECK(!go_atoi64("", &n) && !go_atoi64("-", &n) && !go_atoi64("+1", &n));
	CHECK(!go_atoi64("12a", &n) && !go_atoi64(" 1", &n));
	CHECK(go_atoi32("2147483647", &n32) && !go_atoi32("2147483648", &n32));

	CHECK(byte_count("0") == 0);
	CHECK(byte_count("1024") == 1024);
	CHECK(byte_count("1024B") == 1024);
	CHECK(byte_count("1KiB") == 1024);
	CHECK(byte_count("3GiB") == 3221225472LL);
	CHECK(byte_count("2TiB") == 2199023255552LL);
	CHECK(byte_count("8388607TiB") == 8388607LL << 40);
	CHECK(byte_count("8388608TiB") == -1);
	CHECK(byte_count("") == -1 && byte_count("B") == -1 && byte_count("KiB") == -1);
	CHECK(byte_count("1KB") == -1 && byte_count("1K") == -1 && byte_count("1kiB") == -1);
	CHECK(byte_count("-1") == -1 && byte_count("-1MiB") == -1 && byte_count("12XB") == -1);
	CHECK(byte_count("1PiB") == -1 && byte_count("1 MiB") == -1);

	bool bad;
	CHECK(go_read_gogc("off", &bad) == GOGC_OFF && !bad);
	CHECK(go_read_gogc("50", &bad) == 50 && !bad);
	CHECK(go_read_gogc("-5", &bad) == GOGC_OFF && !bad);
	CHECK(go_read_gogc("abc", &bad) == GOGC_DEFAULT && bad);
	CHECK(go_read_gogc("", &bad) == GOGC_DEFAULT && bad);

	struct traceback_setting t;
	t = go_parse_traceback("");
	CHECK(t.level == 1 && !t.all && !t.crash);
	t = go_parse_traceback("none");
	CHECK(t.level == 0 && !t.all);
	t = go_parse_traceback("single");
	CHECK(t.level == 1 && !t.all);
	t = go_parse_traceback("all");
	CHECK(t.level == 1 && t.all);
	t = go_parse_traceback("system");
	CHECK(t.level == 2 && t.all && !t.crash);
	t = go_parse_traceback("crash");
	CHECK(t.level == 2 && t.all && t.crash);
	t = go_parse_traceback("3");
	CHECK(t.level == 3 && t.all);
	t = go_parse_traceback("bogus");
	CHECK(t.level == 0 && t.all);

	char v[16];
	CHECK(godebug_find("gctrace=1,x=y,gctrace=2", "gctrace", v, sizeof v) &&
	      strcmp(v, "2") == 0);
	CHECK(godebug_find("gctrace=1,x=y", "x", v, sizeof v) && strcmp(v, "y") == 0);
	CHECK(!godebug_find("gctrace=1,x=y", "gc", v, sizeof v));
	CHECK(!godebug_find("", "x", v, sizeof v));
	CHECK(godebug_find("a=,b", "a", v, sizeof v) && v[0] == '\0');
	CHECK(godebug_find("long=0123456789abcdefXYZ", "long", v, 8) && strcmp(v, "0123456") == 0);

	settings.godebug = "asyncpreemptoff=1,gctrace=x";
	CHECK(godebug_int("asyncpreemptoff", 0) == 1);
	CHECK(godebug_int("gctrace", 7) == 7);
	CHECK(godebug_int("absent", 9) == 9);

	return check_status("settings_test");
}
