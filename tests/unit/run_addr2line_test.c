/*
 * run_addr2line_test: the runner's symbolizer (tools/run_addr2line.c) on this test's own
 * executable, built without PIE so that its run-time addresses are its file addresses.
 *
 * What a user would notice if it broke: a backtrace frame inside inlined code named after
 * the inlined function alone (the function that holds the frame missing, as it did when
 * the runtime began to be optimized as a whole), or, after one unknown address, every
 * later frame of the run mislabelled because the replies fell out of step.
 */
#include "tools/run_addr2line.h"

#include <stdint.h>
#include <string.h>

#include "tests/unit/check.h"

/* The return address of its call: a pc inside whatever code called it. */
static __attribute__((noinline)) uintptr_t call_site(void)
{
	return (uintptr_t)__builtin_return_address(0);
}

static inline __attribute__((always_inline)) uintptr_t inlined_leaf(void)
{
	return call_site();
}

static volatile uintptr_t last_pc;

static __attribute__((noinline)) uintptr_t holder(void)
{
	last_pc = inlined_leaf(); /* a store after the call: not a tail call */
	return last_pc;
}

int main(int argc, char **argv)
{
	(void)argc;
	struct addr2line a;
	char out[2048];
	addr2line_init(&a, argv[0]);

	/* As the console asks for a return address: pc - 1, inside the call. */
	uintptr_t pc = holder() - 1;
	CHECK(addr2line_symbolize(&a, pc, out, sizeof out));
	CHECK(strncmp(out, "inlined_leaf at ", 16) == 0);
	CHECK(strstr(out, "run_addr2line_test.c:") != NULL);
	CHECK(strstr(out, ", inlined in holder at ") != NULL);

	/* An address with no symbol, then known ones: the replies stay in step. */
	CHECK(!addr2line_symbolize(&a, 1, out, sizeof out));
	CHECK(addr2line_symbolize(&a, (uintptr_t)&main, out, sizeof out));
	CHECK(strncmp(out, "main at ", 8) == 0);
	CHECK(strstr(out, "inlined in") == NULL);
	CHECK(addr2line_symbolize(&a, pc, out, sizeof out));
	CHECK(strstr(out, ", inlined in holder at ") != NULL);

	/* A small buffer gets a truncated, terminated answer. */
	char small[12];
	CHECK(addr2line_symbolize(&a, pc, small, sizeof small));
	CHECK(strlen(small) == sizeof small - 1);

	addr2line_close(&a);
	return check_status("run_addr2line_test");
}
