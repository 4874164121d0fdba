/*
 * Walks stay bounded and safe on a corrupt stack: a function overwrites
 * the link of its own frame record (its caller's frame pointer) with
 * garbage -- null, misaligned, pointing below itself, pointing at itself,
 * far outside any stack, the top of the stack -- and its callee walks the
 * stack with runtime_Callers, runtime_Stack and debug_Stack each time. Each
 * walk must end (no fault, no endless loop) and still name the frames below
 * the corruption; the link is put back before the function returns.
 *
 * variant: smp2 --smp 2
 * expect-line: 6 corrupt stacks walked
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

#include "kernel/arch.h"

#define NOINLINE __attribute__((noinline))

static char buf[8192];

static NOINLINE int walk_all(void)
{
	uintptr_t pcs[64];
	int n = runtime_Callers(0, pcs, 64);
	runtime_Frames *frames = runtime_CallersFrames(pcs, n);
	runtime_Frame f;
	bool seen_self = false;
	for (bool more = n > 0; more;) {
		more = runtime_Frames_Next(frames, &f);
		seen_self |= strcmp(f.Function, "walk_all") == 0;
	}
	int len = runtime_Stack(buf, sizeof buf - 1, false);
	buf[len] = '\0';
	char *s = debug_Stack();
	if (!seen_self || strstr(buf, "walk_all(...)") == NULL || strstr(s, "walk_all(...)") == NULL)
		printf("FAIL: a walk lost the frames below the corruption\n");
	__asm__ volatile("" ::: "memory");
	return n;
}

static NOINLINE int corrupt_and_walk(uintptr_t garbage)
{
	uintptr_t *link =
	    (uintptr_t *)((uintptr_t)__builtin_frame_address(0) + ARCH_FRAME_LINK_OFFSET);
	uintptr_t saved = *link;
	if (garbage == 1)
		garbage = (uintptr_t)link; /* pointing at itself */
	__atomic_store_n(link, garbage, __ATOMIC_RELAXED);
	int n = walk_all();
	__atomic_store_n(link, saved, __ATOMIC_RELAXED);
	__asm__ volatile("" ::: "memory");
	return n;
}

int main(void)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	uintptr_t garbage[] = {0, here + 3, here - 4096, 1, 0x7fffdead0000, here + 64 * 1024 * 1024};
	int walked = 0;
	for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
		if (corrupt_and_walk(garbage[i]) > 0)
			walked++;
	printf("%d corrupt stacks walked\n", walked);
	return 0;
}
