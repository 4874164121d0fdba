/*
 * The host unit tests' assertion: CHECK(cond) prints the file, line and
 * condition of a failed check and counts it, so one run reports every
 * failure; a test's main returns check_status(name) (0 only if all
 * passed).
 */
#ifndef GORT_TESTS_UNIT_CHECK_H
#define GORT_TESTS_UNIT_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static inline int check_status(const char *name)
{
	if (failures != 0)
		fprintf(stderr, "%s: %d checks failed\n", name, failures);
	else
		printf("%s: ok\n", name);
	return failures != 0;
}

#endif
