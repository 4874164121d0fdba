/*
 * Freeing a malloc object twice is the fatal error "double free of 0x...",
 * for small and large objects alike, before anything reuses it.
 *
 * cmdline: -- 100
 * variant: large --cmdline "-- 100000"
 * expect-contains: fatal error: double free of 0x
 * expect-order: freed once | fatal error: double free of | runtime stack:
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

/* The misuse is the point of this test. */
#pragma GCC diagnostic ignored "-Wuse-after-free"

int main(int argc, char **argv)
{
	size_t size = argc > 1 ? (size_t)atol(argv[1]) : 100;
	char *p = malloc(size);
	free(p);
	printf("freed once: %p\n", (void *)p);
	free(p);
	printf("survived\n");
	return 0;
}
