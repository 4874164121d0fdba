/*
 * Running out of memory, in a 128 MiB machine, is Go's fatal error with
 * exit status 2, never a hang or a NULL: large gort_new objects, small ones,
 * and malloc objects alike.
 *
 * mem: 128M
 * cmdline: -- large
 * variant: small --cmdline "-- small"
 * variant: malloc --cmdline "-- malloc"
 * expect-contains: runtime: out of memory: cannot allocate
 * expect-line: fatal error: runtime: out of memory
 * expect-contains: runtime stack:
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "large";
	printf("allocating %s objects until memory runs out\n", what);
	for (;;) {
		void *p;
		if (strcmp(what, "small") == 0)
			p = gort_new(64);
		else if (strcmp(what, "malloc") == 0)
			p = malloc(10000);
		else
			p = gort_new(1 << 20);
		if (p == NULL)
			break;
	}
	printf("survived\n");
	return 0;
}
