/*
 * Goroutine stacks grow by page faults up to their reservation: after
 * debug_SetMaxStack raised the reservation to 16 MiB, a goroutine recurses
 * through 8 MiB of stack and unwinds with every frame intact; main, on its
 * 64 MiB stack, does the same. A goroutine created before the raise keeps
 * the default 256 KiB (stack_overflow.c shows what exceeding it does).
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: goroutine: 8 MiB of recursion, checksum ok
 * expect-line: main: 8 MiB of recursion, checksum ok
 * expect-line: default reservation: 262144 bytes
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

#define FRAME_BYTES 1024
#define DEPTH       (8 * 1024 * 1024 / FRAME_BYTES)

/* Each frame holds FRAME_BYTES of data the unwinding checks. */
static uint64_t recurse(int depth)
{
	volatile uint8_t frame[FRAME_BYTES];
	for (int i = 0; i < FRAME_BYTES; i++)
		frame[i] = (uint8_t)(depth + i);
	uint64_t below = depth > 0 ? recurse(depth - 1) : 0;
	uint64_t sum = below;
	for (int i = 0; i < FRAME_BYTES; i++)
		sum += frame[i] == (uint8_t)(depth + i);
	return sum;
}

static sync_WaitGroup wg;

static void deep(void *arg)
{
	const char *who = arg;
	uint64_t sum = recurse(DEPTH);
	printf("%s: 8 MiB of recursion, checksum %s\n", who,
	       sum == (uint64_t)(DEPTH + 1) * FRAME_BYTES ? "ok" : "FAIL");
	sync_WaitGroup_Done(&wg);
}

int main(void)
{
	int old = debug_SetMaxStack(16 * 1024 * 1024);
	printf("default reservation: %d bytes\n", old);
	sync_WaitGroup_Add(&wg, 2);
	go(deep, "goroutine");
	deep("main");
	sync_WaitGroup_Wait(&wg);
	return 0;
}
