/*
 * A goroutine that recurses past its 256 KiB reservation (the default;
 * debug_SetMaxStack was not raised) ends the program with Go's stack
 * overflow report, a traceback, a line naming the knob that raises the
 * limit, and exit status 2.
 *
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-line: runtime: goroutine stack exceeds 262144-byte limit
 * expect-line: fatal error: stack overflow
 * expect-contains: debug_SetMaxStack or the boot parameter gort.maxstack=
 * expect-line: goroutine 2 [running]:
 * expect-line: recurse(...)
 * expect-not-contains: returned
 */
#include <gort.h>
#include <stdio.h>

static volatile bool deeper = true; /* always true; the compiler cannot know */

static uint64_t recurse(int depth)
{
	volatile uint8_t frame[512];
	frame[0] = (uint8_t)depth;
	return (deeper ? recurse(depth + 1) : 0) + frame[0];
}

static void overflow(void *arg)
{
	(void)arg;
	printf("recursion returned %llu\n", (unsigned long long)recurse(0));
}

int main(void)
{
	go(overflow, NULL);
	time_Sleep(10 * time_Second);
	return 1;
}
