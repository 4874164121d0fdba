/*
 * Closing a buffered channel keeps its values: receivers drain them in
 * order, then get ok = false and the zero value, as many times as they
 * ask. len and cap follow the buffer; trysend and tryrecv report a full
 * and an empty channel; close wakes every blocked receiver (ok = false)
 * on every CPU; values sent by many goroutines through a small buffer all
 * arrive once.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: drain after close: ok
 * expect-line: trysend/tryrecv: ok
 * expect-line: close wakes 16 receivers
 * expect-line: 8 senders x 2000 values through cap 3: sum ok
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define RECEIVERS 16
#define SENDERS   8
#define PER       2000

static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		printf("FAIL: %s\n", what);
		failures++;
	}
}

static chan_t *blocked, *woken;

static void receiver(void *arg)
{
	(void)arg;
	int v = 7;
	bool ok = chan_recv(blocked, &v);
	int result = !ok && v == 0;
	chan_send(woken, &result);
}

static chan_t *traffic;

static void sender(void *arg)
{
	long base = (long)(intptr_t)arg * PER;
	for (long i = 1; i <= PER; i++) {
		long v = base + i;
		chan_send(traffic, &v);
	}
}

int main(void)
{
	chan_t *c = chan_make(sizeof(int), 4);
	check(chan_cap(c) == 4 && chan_len(c) == 0, "cap/len of a new channel");
	for (int i = 1; i <= 3; i++)
		chan_send(c, &i);
	check(chan_len(c) == 3, "len after 3 sends");
	chan_close(c);
	check(chan_len(c) == 3 && chan_cap(c) == 4, "len/cap after close");
	for (int i = 1; i <= 3; i++) {
		int v = 0;
		check(chan_recv(c, &v) && v == i, "drained value");
	}
	for (int i = 0; i < 3; i++) {
		int v = 99;
		check(!chan_recv(c, &v) && v == 0, "closed and empty: zero, ok=false");
	}
	check(!chan_recv(c, NULL), "receive with a NULL elem");
	printf("drain after close: %s\n", failures ? "FAIL" : "ok");

	chan_t *t = chan_make(sizeof(int), 2);
	int v = 5, got = 0;
	bool ok = false;
	check(!chan_tryrecv(t, &got, &ok), "tryrecv on empty");
	check(chan_trysend(t, &v) && chan_trysend(t, &v), "trysend with room");
	check(!chan_trysend(t, &v), "trysend on full");
	check(chan_tryrecv(t, &got, &ok) && ok && got == 5, "tryrecv a value");
	chan_close(t);
	check(chan_tryrecv(t, &got, &ok) && ok && got == 5, "tryrecv drains after close");
	got = 1;
	check(chan_tryrecv(t, &got, &ok) && !ok && got == 0, "tryrecv on closed: zero");
	check(!chan_trysend(NULL, &v) && !chan_tryrecv(NULL, &got, &ok), "nil channel try");
	check(chan_len(NULL) == 0 && chan_cap(NULL) == 0, "len/cap of nil");
	chan_t *u = chan_make(sizeof(int), 0);
	check(!chan_trysend(u, &v) && !chan_tryrecv(u, &got, &ok), "unbuffered, nobody waits");
	printf("trysend/tryrecv: %s\n", failures ? "FAIL" : "ok");

	blocked = chan_make(sizeof(int), 0);
	woken = chan_make(sizeof(int), RECEIVERS);
	for (int i = 0; i < RECEIVERS; i++)
		go(receiver, NULL);
	/* Some receivers may not have blocked yet: they find the channel
	 * closed, which is the same result. */
	runtime_Gosched();
	chan_close(blocked);
	int n = 0;
	for (int i = 0; i < RECEIVERS; i++) {
		int r;
		chan_recv(woken, &r);
		n += r;
	}
	printf("close wakes %d receivers\n", n);

	traffic = chan_make(sizeof(long), 3);
	for (int i = 0; i < SENDERS; i++)
		go(sender, (void *)(intptr_t)i);
	long sum = 0, want = 0;
	for (long i = 1; i <= (long)SENDERS * PER; i++) {
		long x;
		check(chan_recv(traffic, &x), "traffic value");
		sum += x;
		want += i;
	}
	printf("%d senders x %d values through cap 3: sum %s\n", SENDERS, PER,
	       sum == want ? "ok" : "FAIL");
	return failures != 0;
}
