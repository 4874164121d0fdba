/*
 * The program behind the traceback_* tests (one file per GOTRACEBACK
 * outcome): main starts a goroutine that blocks receiving, one that spins
 * (on another CPU when there is one), then panics two calls deep. Which
 * goroutines and frames the report shows is up to GOTRACEBACK and
 * debug_SetTraceback (TRACEBACK_SET, if the test defines it).
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

static chan_t *never;
static volatile int spinning;

static NOINLINE void blocked_worker(void *arg)
{
	(void)arg;
	chan_recv(never, NULL);
	__asm__ volatile("" ::: "memory"); /* not a tail call: the frame stays */
}

static NOINLINE void spin_loop(void)
{
	__atomic_store_n(&spinning, 1, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

static NOINLINE void spinner(void *arg)
{
	(void)arg;
	spin_loop();
}

static NOINLINE void fail_here(int depth)
{
	gort_panic("traceback level test %d", depth);
}

static NOINLINE void fail_above(void)
{
	fail_here(2);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
#ifdef TRACEBACK_SET
	debug_SetTraceback(TRACEBACK_SET);
#endif
	never = chan_make(0, 0);
	go(blocked_worker, NULL);
	if (runtime_NumCPU() > 1) {
		go(spinner, NULL);
		while (!__atomic_load_n(&spinning, __ATOMIC_ACQUIRE))
			runtime_Gosched();
	}
	/* Until blocked_worker has blocked (it may run on another CPU). */
	static char buf[4096];
	for (int i = 0; i < 1000; i++) {
		int n = runtime_Stack(buf, sizeof buf - 1, true);
		buf[n] = '\0';
		if (strstr(buf, "goroutine 2 [chan receive]") != NULL)
			break;
		time_Sleep(time_Millisecond);
	}
	fail_above();
	printf("FAIL: the panic returned\n");
	return 0;
}
