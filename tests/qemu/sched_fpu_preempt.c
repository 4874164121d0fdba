/*
 * FP/SIMD state survives preemption: more goroutines than CPUs run long
 * floating-point loops that never yield, so the timer interrupt preempts
 * them in the middle, and each checks its result against the value the
 * same loop computed before any goroutine started (bit for bit).
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: 8 floating-point goroutines agree with the reference
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define WORKERS    8
#define ITERATIONS 3000000

struct work {
	double seed;
	double result;
};

/* A loop that keeps many values live in FP registers across iterations. */
static double fp_loop(double seed)
{
	double a = seed, b = seed * 0.5, c = seed * 0.25, d = 1.0 / (seed + 1.0);
	for (int i = 0; i < ITERATIONS; i++) {
		a = a * 0.999999 + b * 1e-6;
		b = b * 0.999998 + c * 2e-6;
		c = c * 0.999997 + d * 3e-6;
		d = d * 0.999996 + a * 4e-6;
	}
	return a + b * 3 + c * 5 + d * 7;
}

static sync_WaitGroup wg;

static void worker(void *arg)
{
	struct work *w = arg;
	w->result = fp_loop(w->seed);
	sync_WaitGroup_Done(&wg);
}

int main(void)
{
	static struct work works[WORKERS];
	double expect[WORKERS];
	for (int i = 0; i < WORKERS; i++) {
		works[i].seed = 1.0 + i;
		expect[i] = fp_loop(works[i].seed);
	}
	sync_WaitGroup_Add(&wg, WORKERS);
	for (int i = 0; i < WORKERS; i++)
		go(worker, &works[i]);
	sync_WaitGroup_Wait(&wg);
	int bad = 0;
	for (int i = 0; i < WORKERS; i++)
		if (works[i].result != expect[i]) {
			printf("FAIL: goroutine %d got %.17g, expected %.17g\n", i, works[i].result,
			       expect[i]);
			bad++;
		}
	if (bad == 0)
		printf("%d floating-point goroutines agree with the reference\n", WORKERS);
	return bad != 0;
}
