/*
 * The Go environment variables on the boot command line get Go's
 * treatment. A malformed GOGC or GOMAXPROCS is ignored (with a message),
 * a well-formed GOMEMLIMIT is parsed with its unit, GODEBUG is kept as
 * given, an unknown gort. switch and a stray word are reported.
 *
 * cmdline: GOGC=abc GOMEMLIMIT=3GiB GOMAXPROCS=-2 GODEBUG=gctrace=1,x=y gort.bogus=1 stray -- arg
 * expect-contains: gort: ignoring malformed GOGC=abc; using 100
 * expect-contains: gort: ignoring malformed GOMAXPROCS=-2
 * expect-contains: gort: unknown boot parameter gort.bogus=1 (ignored)
 * expect-contains: gort: ignoring boot parameter 'stray'
 * expect-line: gogc=100
 * expect-line: memlimit=3221225472
 * expect-line: GODEBUG=gctrace=1,x=y
 * expect-line: gogc after off=-1
 * expect-line: argv[1]=arg
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int gogc = debug_SetGCPercent(-1);
	printf("gogc=%d\n", gogc);
	printf("gogc after off=%d\n", debug_SetGCPercent(gogc));
	printf("memlimit=%lld\n", (long long)debug_SetMemoryLimit(-1));
	printf("GODEBUG=%s\n", getenv("GODEBUG"));
	if (argc > 1)
		printf("argv[1]=%s\n", argv[1]);
	return 0;
}
