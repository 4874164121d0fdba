/*
 * The goroutine API of package runtime: main is goroutine 1; Gosched lets
 * the other goroutines of a single p run; Goexit ends a goroutine at once;
 * NumGoroutine counts the living; LockOSThread keeps a goroutine on its
 * CPU across yields and sleeps until the matching UnlockOSThread;
 * GOMAXPROCS reads and changes the number of ps at run time (at most
 * NumCPU), and the goroutines keep running through the changes.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: Gosched: the other goroutine ran 3 times
 * expect-line: Goexit: the goroutine ended before its last line
 * expect-line: NumGoroutine: 1
 * expect-line: LockOSThread: stayed on its CPU
 * expect-line: GOMAXPROCS: changed and restored
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#include "kernel/arch.h"
#include "kernel/cpu.h"

static int turns;
static sync_WaitGroup wg;

static void taker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		turns++;
		runtime_Gosched();
	}
	sync_WaitGroup_Done(&wg);
}

static bool reached_end;

static void exiter(void *arg)
{
	(void)arg;
	sync_WaitGroup_Done(&wg);
	runtime_Goexit();
	reached_end = true;
}

static int cpu_id(void)
{
	unsigned long flags = arch_irq_save();
	int id = this_cpu()->id;
	arch_irq_restore(flags);
	return id;
}

static bool stayed = true;
static sync_WaitGroup lockedwg;

static void locked(void *arg)
{
	(void)arg;
	runtime_LockOSThread();
	int home = cpu_id();
	for (int i = 0; i < 200; i++) {
		if (i % 2)
			runtime_Gosched();
		else
			time_Sleep(100 * time_Microsecond);
		for (volatile int j = 0; j < 20000; j++)
			;
		if (cpu_id() != home)
			stayed = false;
	}
	runtime_UnlockOSThread();
	sync_WaitGroup_Done(&lockedwg);
}

static void busy(void *arg)
{
	chan_t *stop = arg;
	while (!chan_tryrecv(stop, NULL, NULL))
		runtime_Gosched();
	sync_WaitGroup_Done(&wg);
}

int main(void)
{
	int ncpu = runtime_NumCPU();
	int procs = runtime_GOMAXPROCS(0);
	if (procs != ncpu)
		printf("FAIL: GOMAXPROCS %d, NumCPU %d\n", procs, ncpu);

	/* Gosched with one p: main and taker alternate. */
	runtime_GOMAXPROCS(1);
	sync_WaitGroup_Add(&wg, 1);
	go(taker, NULL);
	while (turns < 3)
		runtime_Gosched();
	sync_WaitGroup_Wait(&wg);
	printf("Gosched: the other goroutine ran %d times\n", turns);
	runtime_GOMAXPROCS(procs);

	sync_WaitGroup_Add(&wg, 1);
	go(exiter, NULL);
	sync_WaitGroup_Wait(&wg);
	while (runtime_NumGoroutine() > 1)
		runtime_Gosched();
	printf("Goexit: the goroutine ended %s\n",
	       reached_end ? "FAIL: after its last line" : "before its last line");
	printf("NumGoroutine: %d\n", runtime_NumGoroutine());

	/* A locked goroutine among busy ones that would gladly take its CPU. */
	chan_t *stop = chan_make(0, 0);
	sync_WaitGroup_Add(&wg, 2 * ncpu);
	sync_WaitGroup_Add(&lockedwg, 1);
	for (int i = 0; i < 2 * ncpu; i++)
		go(busy, stop);
	go(locked, NULL);
	sync_WaitGroup_Wait(&lockedwg);
	chan_close(stop);
	sync_WaitGroup_Wait(&wg);
	printf("LockOSThread: %s\n", stayed ? "stayed on its CPU" : "FAIL: moved");

	/* GOMAXPROCS down to 1 and back while goroutines run. */
	stop = chan_make(0, 0);
	sync_WaitGroup_Add(&wg, 2 * ncpu);
	for (int i = 0; i < 2 * ncpu; i++)
		go(busy, stop);
	int was = runtime_GOMAXPROCS(1);
	int now = runtime_GOMAXPROCS(0);
	time_Sleep(20 * time_Millisecond);
	int back = runtime_GOMAXPROCS(ncpu + 5);
	int max = runtime_GOMAXPROCS(0);
	chan_close(stop);
	sync_WaitGroup_Wait(&wg);
	if (was == ncpu && now == 1 && back == 1 && max == ncpu)
		printf("GOMAXPROCS: changed and restored\n");
	else
		printf("FAIL: GOMAXPROCS was %d, then %d, %d, %d\n", was, now, back, max);
	return 0;
}
