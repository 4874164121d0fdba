/*
 * The size-class table (see sizeclasses.h). Object size and heap pages per
 * span are Go's table; the rest is derived here:
 * objects per span, the divMul magic, and the two size -> class lookup
 * tables, each entry the smallest class that holds that size.
 */
#include "runtime/sizeclasses.h"

/* Go's class_to_size and class_to_allocnpages. */
static const uint16_t class_size[NUM_SIZE_CLASSES] = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,
    160,   176,   192,   208,   224,   240,   256,   288,   320,   352,   384,   416,
    448,   480,   512,   576,   640,   704,   768,   896,   1024,  1152,  1280,  1408,
    1536,  1792,  2048,  2304,  2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,
    6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384,
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
};
static const uint8_t class_npages[NUM_SIZE_CLASSES] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2,  3, 1, 3,
    2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4,
};

struct sizeclass sizeclasses[NUM_SIZE_CLASSES];

uint8_t size_to_class8[SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1];
uint8_t size_to_class128[(MAX_SMALL_SIZE - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1];

/* The smallest class whose objects hold size bytes. */
static unsigned smallest_class(size_t size)
{
	unsigned c = 1;
	while (sizeclasses[c].size < size)
		c++;
	return c;
}

void sizeclasses_init(void)
{
	for (unsigned c = 1; c < NUM_SIZE_CLASSES; c++) {
		struct sizeclass *sc = &sizeclasses[c];
		sc->size = class_size[c];
		sc->npages = class_npages[c];
		sc->nelems = (uint32_t)(sc->npages * HEAP_PAGE_SIZE / sc->size);
		sc->divmul = UINT32_MAX / sc->size + 1;
	}
	for (size_t i = 0; i < sizeof size_to_class8; i++)
		size_to_class8[i] = (uint8_t)(i == 0 ? 0 : smallest_class(i * SMALL_SIZE_DIV));
	for (size_t i = 0; i < sizeof size_to_class128; i++)
		size_to_class128[i] = (uint8_t)smallest_class(SMALL_SIZE_MAX + i * LARGE_SIZE_DIV);
}
