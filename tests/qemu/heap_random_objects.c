/*
 * 100,000 objects of random sizes, from 1 byte to 128 KiB, from gort_new,
 * gort_new_noscan and malloc: each is zeroed when it arrives and filled with
 * its own pattern; a quarter of the malloc objects are freed along the way,
 * so later objects reuse their memory; at the end every live object still
 * holds its pattern.
 *
 * expect-line: 100000 objects zeroed and intact
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/xorshift.h"

#define OBJECTS   100000
#define SMALL_MAX 32768
#define LARGE_MAX (128 * 1024)

struct object {
	unsigned char *p;
	uint32_t size;
	uint8_t kind; /* 0 gort_new, 1 gort_new_noscan, 2 malloc */
};

static struct object objs[OBJECTS];
static uint64_t rng_state = XORSHIFT_SEED;

static uint64_t rng(void)
{
	return xorshift64(&rng_state);
}

/* Mostly small, some up to 32 KiB, a few large. */
static uint32_t random_size(uint64_t r)
{
	switch (r % 16) {
	case 0:
		return 1 + (uint32_t)((r >> 8) % SMALL_MAX);
	case 1:
		if ((r >> 8) % 8 == 0)
			return SMALL_MAX + 1 + (uint32_t)((r >> 16) % (LARGE_MAX - SMALL_MAX));
		return 1 + (uint32_t)((r >> 8) % 64);
	default:
		return 1 + (uint32_t)((r >> 8) % 512);
	}
}

static bool holds(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 131 + 1);
}

int main(void)
{
	unsigned not_zero = 0, broken = 0, freed = 0;
	for (size_t i = 0; i < OBJECTS; i++) {
		uint64_t r = rng();
		struct object *o = &objs[i];
		o->size = random_size(r);
		o->kind = (uint8_t)((r >> 40) % 3);
		o->p = o->kind == 0   ? gort_new(o->size)
		       : o->kind == 1 ? gort_new_noscan(o->size)
				      : malloc(o->size);
		not_zero += !holds(o->p, o->size, 0);
		memset(o->p, pattern(i), o->size);
		if (i > 0 && (r >> 50) % 4 == 0) {
			struct object *v = &objs[(r >> 20) % i];
			if (v->kind == 2 && v->p != NULL) {
				broken += !holds(v->p, v->size, pattern((size_t)(v - objs)));
				free(v->p);
				v->p = NULL;
				freed++;
			}
		}
	}
	for (size_t i = 0; i < OBJECTS; i++)
		if (objs[i].p != NULL)
			broken += !holds(objs[i].p, objs[i].size, pattern(i));
	printf("%u malloc objects freed on the way\n", freed);
	if (not_zero != 0)
		printf("FAIL: %u objects arrived not zeroed\n", not_zero);
	if (broken != 0)
		printf("FAIL: %u objects lost their contents\n", broken);
	if (not_zero == 0 && broken == 0)
		printf("%d objects zeroed and intact\n", OBJECTS);
	return not_zero != 0 || broken != 0;
}
