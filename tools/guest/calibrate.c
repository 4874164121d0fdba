/*
 * The runner's calibration guest (x86_64 only): a fixed amount of plain
 * guest work, then exit 0. The work is a register-only dec/jnz loop, the
 * cheapest thing a CPU runs: at hardware speed 100M iterations take about
 * 0.03 s, under TCG about 0.25 s, and under a KVM that emulates guest code
 * instruction by instruction minutes. The runner boots it under each
 * accelerator and keeps the faster one.
 */
#define CALIBRATION_ITERATIONS 100000000UL

int main(void)
{
	unsigned long n = CALIBRATION_ITERATIONS;
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n));
	return 0;
}
