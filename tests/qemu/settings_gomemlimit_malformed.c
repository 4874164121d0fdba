/*
 * A malformed GOMEMLIMIT is fatal before main runs, as in Go: the value is
 * printed, then Go's fatal error, the runtime stack, and status 2.
 *
 * cmdline: GOMEMLIMIT=12XB
 * expect-line: GOMEMLIMIT=12XB
 * expect-line: fatal error: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`
 * expect-contains: runtime stack:
 * expect-contains: settings_init at
 * expect-not-contains: main ran
 * expect-exit: 2
 */
#include <stdio.h>

int main(void)
{
	printf("main ran\n");
	return 0;
}
