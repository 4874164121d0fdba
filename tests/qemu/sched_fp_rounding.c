/*
 * The floating-point control state (rounding mode) belongs to each
 * goroutine, as the C ABI makes it callee-saved: goroutines that set
 * different rounding modes hand the CPU back and forth over channels, and
 * after every switch each still rounds its own way (1/3 rounded up is
 * above 1/3 rounded down) while main, which never set one, rounds to
 * nearest.
 *
 * variant: smp2 --smp 2
 * expect-line: rounding modes kept across 3000 switches
 * expect-not-contains: FAIL
 */
#include <fenv.h>
#include <gort.h>
#include <stdio.h>

#define ROUNDS 1000

static chan_t *turn[2], *done;
static volatile double one = 1.0, three = 3.0;
static int failures;

/* 1/3 in the current rounding mode, computed at run time. */
static double third(void)
{
	return one / three;
}

static void rounder(void *arg)
{
	int id = (int)(intptr_t)arg;
	int mode = id == 0 ? FE_UPWARD : FE_DOWNWARD;
	if (fesetround(mode) != 0) {
		printf("FAIL: fesetround(%d) refused\n", mode);
		failures++;
	}
	double mine = third();
	for (int i = 0; i < ROUNDS; i++) {
		chan_recv(turn[id], NULL);
		if (fegetround() != mode || third() != mine) {
			printf("FAIL: goroutine %d lost its rounding mode at round %d\n", id, i);
			failures++;
		}
		chan_send(done, NULL);
	}
}

int main(void)
{
	for (int i = 0; i < 2; i++)
		turn[i] = chan_make(0, 0);
	done = chan_make(0, 0);
	double nearest = third();
	go(rounder, (void *)0);
	go(rounder, (void *)1);
	for (int i = 0; i < ROUNDS; i++) {
		for (int id = 0; id < 2; id++) {
			chan_send(turn[id], NULL);
			chan_recv(done, NULL);
		}
		if (fegetround() != FE_TONEAREST || third() != nearest) {
			printf("FAIL: main lost round-to-nearest at round %d\n", i);
			failures++;
		}
	}
	fesetround(FE_UPWARD);
	double up = third();
	fesetround(FE_DOWNWARD);
	double down = third();
	fesetround(FE_TONEAREST);
	if (!(up > down)) {
		printf("FAIL: rounding modes have no effect (%a, %a)\n", up, down);
		failures++;
	}
	if (failures == 0)
		printf("rounding modes kept across %d switches\n", 3 * ROUNDS);
	return failures != 0;
}
