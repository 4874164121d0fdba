/*
 * GOGC=off disables collection (-1), GOMEMLIMIT accepts a plain byte
 * count, and gort.verbose=1 prints the memory map the firmware reported.
 *
 * cmdline: GOGC=off GOMEMLIMIT=1048576 gort.verbose=1
 * expect-line: gogc=-1
 * expect-line: memlimit=1048576
 * expect-contains: gort: memory map:
 * expect-contains: ] ram
 * expect-contains: ] image
 * expect-contains: MiB of RAM
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	printf("gogc=%d\n", debug_SetGCPercent(100));
	printf("memlimit=%lld\n", (long long)debug_SetMemoryLimit(-1));
	return 0;
}
