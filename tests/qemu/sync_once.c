/*
 * sync_Once_Do runs its function exactly once although 50 goroutines on
 * every CPU call it at the same time, and no call returns before that one
 * run has finished (each caller sees its effect).
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: ran 1 time, 50 callers saw it done
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define CALLERS 50

static sync_Once once;
static int runs;
static volatile int finished;
static chan_t *done;

static void init(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&runs, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 100; i++)
		runtime_Gosched(); /* the other callers must wait meanwhile */
	finished = 1;
}

static void caller(void *arg)
{
	(void)arg;
	sync_Once_Do(&once, init, NULL);
	int saw = finished;
	chan_send(done, &saw);
}

int main(void)
{
	done = chan_make(sizeof(int), 0);
	for (int i = 0; i < CALLERS; i++)
		go(caller, NULL);
	int saw = 0;
	for (int i = 0; i < CALLERS; i++) {
		int s;
		chan_recv(done, &s);
		saw += s;
	}
	sync_Once_Do(&once, init, NULL);
	printf("ran %d time%s, %d callers saw it done\n", runs, runs == 1 ? "" : "s (FAIL)", saw);
	return 0;
}
