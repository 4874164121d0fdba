/*
 * The tests' pseudo-random numbers (guest and host alike): Marsaglia's
 * xorshift64, deterministic for a given seed so a failure repeats.
 */
#ifndef GORT_TESTS_XORSHIFT_H
#define GORT_TESTS_XORSHIFT_H

#include <stdint.h>

#define XORSHIFT_SEED 0x9e3779b97f4a7c15ULL

static inline uint64_t xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif
