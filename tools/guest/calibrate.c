/*
 * The runner's calibration guest: a fixed amount of plain guest work (a
 * dependent integer loop the compiler cannot remove), then exit 0. The
 * runner boots it under each available accelerator and keeps the faster
 * one; under a KVM that emulates guest code instruction by instruction it
 * takes seconds instead of milliseconds.
 */
#include <stdint.h>

#define CALIBRATION_ITERATIONS 20000000

int main(void)
{
	volatile uint64_t x = 1;
	for (uint32_t i = 0; i < CALIBRATION_ITERATIONS; i++)
		x = x * 6364136223846793005u + 1442695040888963407u;
	return 0;
}
