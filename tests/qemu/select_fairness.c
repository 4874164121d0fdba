/*
 * select chooses uniformly among ready cases: with two cases always
 * ready, each is chosen between 40% and 60% of 10000 selects (a fair
 * choice lands there with overwhelming probability). Without a ready case
 * the non-blocking select returns -1 (default); nil-channel cases are
 * never chosen; a send case hands its value to a waiting receiver; a
 * blocking select wakes on whichever of its channels another goroutine
 * (on another CPU, with several) uses, receive, send or close; and many
 * goroutines selecting over shared channels move every value exactly
 * once.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: fairness: ok
 * expect-line: default and nil cases: ok
 * expect-line: blocking select woken by receive, send and close: ok
 * expect-line: select traffic: 6 x 3000 values, sum ok
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define SELECTS 10000
#define WORKERS 6
#define PER     3000

static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

static void fairness(void)
{
	chan_t *a = chan_make(sizeof(int), 1), *b = chan_make(sizeof(int), 1);
	int one = 1, two = 2, count[2] = {0, 0};
	for (int i = 0; i < SELECTS; i++) {
		chan_trysend(a, &one);
		chan_trysend(b, &two);
		int va = 0, vb = 0;
		chan_case_t cases[] = {
		    {.c = a, .dir = CHAN_RECV, .elem = &va},
		    {.c = b, .dir = CHAN_RECV, .elem = &vb},
		};
		int k = chan_select(cases, 2, true);
		if (k == 0 && va == 1 && cases[0].ok)
			count[0]++;
		else if (k == 1 && vb == 2 && cases[1].ok)
			count[1]++;
		else
			check(false, "select returned a bad case or value");
	}
	printf("case 0 chosen %d times, case 1 %d times\n", count[0], count[1]);
	check(count[0] >= SELECTS * 4 / 10 && count[0] <= SELECTS * 6 / 10, "case 0 share");
	check(count[1] >= SELECTS * 4 / 10 && count[1] <= SELECTS * 6 / 10, "case 1 share");
	printf("fairness: %s\n", failures ? "FAIL" : "ok");
}

static void default_and_nil(void)
{
	chan_t *a = chan_make(sizeof(int), 1);
	int v = 3;
	chan_case_t none[] = {
	    {.c = a, .dir = CHAN_RECV, .elem = &v},
	    {.c = NULL, .dir = CHAN_SEND, .elem = &v},
	    {.c = NULL, .dir = CHAN_RECV, .elem = &v},
	};
	check(chan_select(none, 3, false) == -1, "nothing ready: default");
	check(chan_select(NULL, 0, false) == -1, "no cases with default");
	/* The send case is ready (buffer room), the nil ones never are. */
	chan_case_t send[] = {
	    {.c = NULL, .dir = CHAN_RECV, .elem = &v},
	    {.c = a, .dir = CHAN_SEND, .elem = &v},
	    {.c = NULL, .dir = CHAN_SEND, .elem = &v},
	};
	for (int i = 0; i < 100; i++) {
		check(chan_select(send, 3, false) == 1, "the ready send case");
		int got = 0;
		check(chan_recv(a, &got) && got == 3, "the value sent by select");
	}
	printf("default and nil cases: %s\n", failures ? "FAIL" : "ok");
}

static chan_t *ch[3];
static chan_t *started;

/* Waits in a select on ch[0] (receive), ch[1] (send) and ch[2]
 * (receive); sends the chosen case, the value received and ok to
 * result. */
static void selector(void *arg)
{
	chan_t *result = arg;
	int in = -1, out = 42;
	chan_case_t cases[] = {
	    {.c = ch[0], .dir = CHAN_RECV, .elem = &in},
	    {.c = ch[1], .dir = CHAN_SEND, .elem = &out},
	    {.c = NULL, .dir = CHAN_RECV, .elem = &in},
	    {.c = ch[2], .dir = CHAN_RECV, .elem = &in},
	};
	chan_send(started, NULL);
	int k = chan_select(cases, 4, true);
	int r[3] = {k, in, k >= 0 && cases[k].ok};
	chan_send(result, r);
}

static void blocking(void)
{
	chan_t *result = chan_make(sizeof(int[3]), 0);
	started = chan_make(0, 0);
	for (int round = 0; round < 300; round++) {
		for (int i = 0; i < 3; i++)
			ch[i] = chan_make(sizeof(int), 0);
		go(selector, result);
		chan_recv(started, NULL);
		int v = round, r[3];
		switch (round % 3) {
		case 0:
			chan_send(ch[0], &v);
			chan_recv(result, r);
			check(r[0] == 0 && r[1] == round && r[2], "woken by a send");
			break;
		case 1:
			check(chan_recv(ch[1], &v) && v == 42, "value from a select's send");
			chan_recv(result, r);
			check(r[0] == 1, "woken by a receive");
			break;
		default:
			chan_close(ch[2]);
			chan_recv(result, r);
			check(r[0] == 3 && r[1] == 0 && !r[2], "woken by a close");
		}
	}
	printf("blocking select woken by receive, send and close: %s\n", failures ? "FAIL" : "ok");
}

static chan_t *data[2], *sums, *quit, *produced;

static void producer(void *arg)
{
	long base = (long)(intptr_t)arg * PER;
	for (long i = 1; i <= PER; i++) {
		long v = base + i;
		chan_case_t cases[] = {
		    {.c = data[0], .dir = CHAN_SEND, .elem = &v},
		    {.c = data[1], .dir = CHAN_SEND, .elem = &v},
		};
		chan_select(cases, 2, true);
	}
	chan_send(produced, NULL);
}

static void consumer(void *arg)
{
	(void)arg;
	long sum = 0, v;
	for (;;) {
		chan_case_t cases[] = {
		    {.c = data[0], .dir = CHAN_RECV, .elem = &v},
		    {.c = data[1], .dir = CHAN_RECV, .elem = &v},
		    {.c = quit, .dir = CHAN_RECV},
		};
		if (chan_select(cases, 3, true) == 2)
			break;
		sum += v;
	}
	chan_send(sums, &sum);
}

static void traffic(void)
{
	data[0] = chan_make(sizeof(long), 0);
	data[1] = chan_make(sizeof(long), 5);
	sums = chan_make(sizeof(long), 0);
	quit = chan_make(0, 0);
	produced = chan_make(0, 0);
	for (int i = 0; i < WORKERS; i++) {
		go(producer, (void *)(intptr_t)i);
		go(consumer, NULL);
	}
	/* Once every producer is done, the unbuffered sends were all
	 * received; the consumers quit, and what they left in the buffer is
	 * drained here. */
	for (int i = 0; i < WORKERS; i++)
		chan_recv(produced, NULL);
	chan_close(quit);
	long total = 0, want = 0, v;
	for (int i = 0; i < WORKERS; i++) {
		chan_recv(sums, &v);
		total += v;
	}
	while (chan_tryrecv(data[1], &v, NULL))
		total += v;
	for (long i = 1; i <= (long)WORKERS * PER; i++)
		want += i;
	printf("select traffic: %d x %d values, sum %s\n", WORKERS, PER,
	       total == want ? "ok" : "FAIL");
}

int main(void)
{
	fairness();
	default_and_nil();
	blocking();
	traffic();
	return failures != 0;
}
