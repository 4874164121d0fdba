/*
 * Freeing what malloc did not return is Go's kind of fatal error, never a
 * corrupted heap: a pointer into the middle of a malloc object, a gort_new
 * object, a stack address, a pointer into a large malloc object.
 *
 * cmdline: -- interior
 * variant: gort_new --cmdline "-- gort_new"
 * variant: stack --cmdline "-- stack"
 * variant: large --cmdline "-- large"
 * expect-contains: fatal error: free of invalid pointer 0x
 * expect-order: freeing | fatal error: free of invalid pointer | runtime stack:
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "interior";
	char local[16];
	char *p;
	if (strcmp(what, "gort_new") == 0)
		p = gort_new(64);
	else if (strcmp(what, "stack") == 0)
		p = local;
	else if (strcmp(what, "large") == 0)
		p = (char *)malloc(100000) + 4096;
	else
		p = (char *)malloc(64) + 16;
	printf("freeing %s pointer %p\n", what, (void *)p);
	free(p);
	printf("survived\n");
	return 0;
}
