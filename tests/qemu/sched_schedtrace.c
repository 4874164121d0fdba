/*
 * GODEBUG=schedtrace=X prints Go's SCHED line every X milliseconds from
 * the timer interrupt, even while every goroutine is busy; with
 * scheddetail=1 a line per p, per CPU (Go's m) and per goroutine follows.
 *
 * cmdline: GODEBUG=schedtrace=20,scheddetail=1
 * variant: smp2 --smp 2
 * expect-contains: SCHED
 * expect-contains: gomaxprocs=
 * expect-contains:   P0: status=
 * expect-contains:   M0: p=0
 * expect-contains:   G1: status=
 * expect-line: done
 */
#include <gort.h>
#include <stdio.h>

static void spin(void *arg)
{
	(void)arg;
	for (volatile int i = 0; i < 20000000; i++)
		;
}

int main(void)
{
	go(spin, NULL);
	time_Sleep(100 * time_Millisecond);
	printf("done\n");
	return 0;
}
