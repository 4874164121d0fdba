/*
 * The runtime's own panics are recoverable runtime errors with Go's
 * messages. They come from sending on a closed channel (at once, and when
 * close wakes a blocked sender or select), closing a closed or nil
 * channel, a negative WaitGroup counter, a non-positive ticker interval. The channel's lock
 * is free again after the recovery, so it keeps working.
 *
 * variant: smp2 --smp 2
 * expect-line: send on closed channel: runtime error "send on closed channel"
 * expect-line: blocked send: runtime error "send on closed channel"
 * expect-line: blocked select send: runtime error "send on closed channel"
 * expect-line: select send: runtime error "send on closed channel"
 * expect-line: close of closed channel: runtime error "close of closed channel"
 * expect-line: close of nil channel: runtime error "close of nil channel"
 * expect-line: negative WaitGroup: runtime error "sync: negative WaitGroup counter"
 * expect-line: NewTicker(0): runtime error "non-positive interval for NewTicker"
 * expect-line: the channel still works: 7
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

static chan_t *closed, *open, *results, *started;

static void report(const char *what, const gort_panicval_t *r)
{
	if (r == NULL) {
		printf("FAIL: %s did not panic\n", what);
		return;
	}
	printf("%s: %s \"%s\"\n", what,
	       r->kind == GORT_PANIC_RUNTIME_ERROR ? "runtime error" : "FAIL: wrong kind", r->msg);
}

static void send_closed(void *arg)
{
	int v = 1;
	chan_send((chan_t *)arg, &v);
}

static void select_send(void *arg)
{
	int v = 1;
	chan_case_t cases[] = {{.c = (chan_t *)arg, .dir = CHAN_SEND, .elem = &v}};
	chan_select(cases, 1, true);
}

static void close_it(void *arg)
{
	chan_close((chan_t *)arg);
}

static void negative_wg(void *arg)
{
	(void)arg;
	sync_WaitGroup wg = {0};
	sync_WaitGroup_Done(&wg);
}

static void zero_ticker(void *arg)
{
	(void)arg;
	time_NewTicker(0);
}

/* A goroutine that blocks in fn(c) until main closes c. */
static void blocked(void *arg)
{
	void (*fn)(void *) = (void (*)(void *))arg;
	chan_t *c = chan_make(sizeof(int), 0);
	chan_send(started, &c);
	const gort_panicval_t *r = gort_pcall(fn, c);
	chan_send(results, &r);
}

static void wake_blocked(const char *what, void (*fn)(void *))
{
	chan_t *c;
	const gort_panicval_t *r;
	go(blocked, (void *)fn);
	chan_recv(started, &c);
	time_Sleep(5 * time_Millisecond); /* let it block */
	chan_close(c);
	chan_recv(results, &r);
	report(what, r);
}

int main(void)
{
	closed = chan_make(sizeof(int), 1);
	open = chan_make(sizeof(int), 1);
	results = chan_make(sizeof(const gort_panicval_t *), 0);
	started = chan_make(sizeof(chan_t *), 0);
	chan_close(closed);

	report("send on closed channel", gort_pcall(send_closed, closed));
	wake_blocked("blocked send", send_closed);
	wake_blocked("blocked select send", select_send);
	report("select send", gort_pcall(select_send, closed));
	report("close of closed channel", gort_pcall(close_it, closed));
	report("close of nil channel", gort_pcall(close_it, NULL));
	report("negative WaitGroup", gort_pcall(negative_wg, NULL));
	report("NewTicker(0)", gort_pcall(zero_ticker, NULL));

	int v = 7, got = 0;
	chan_send(open, &v);
	chan_recv(open, &got);
	printf("the channel still works: %d\n", got);
	return 0;
}
