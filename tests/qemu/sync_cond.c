/*
 * sync_Cond: Signal wakes one waiter, Broadcast wakes them all. Eight
 * goroutines wait for a token under the Cond's mutex and count every
 * return from Wait. Main waits until all eight are inside Wait (they
 * took their place in line under the mutex), then hands out tokens one
 * at a time with Signal: each wakes exactly one waiter, which takes the
 * token and leaves. The rest leave on one Broadcast. Go's Cond has no
 * spurious wake-ups, so Wait returns exactly once per waiter.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: Signal: 5 tokens, 5 waiters woken one at a time
 * expect-line: Broadcast: 3 waiters woken
 * expect-line: Wait returned 8 times for 8 waiters
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define WAITERS 8
#define SIGNALS 5

static sync_Mutex mu;
static sync_Cond *cond;
static int waiting, tokens, wakeups;
static bool released;
static chan_t *left;

static void waiter(void *arg)
{
	(void)arg;
	sync_Mutex_Lock(&mu);
	while (tokens == 0 && !released) {
		waiting++;
		sync_Cond_Wait(cond);
		waiting--;
		wakeups++;
	}
	bool got_token = tokens > 0;
	if (got_token)
		tokens--;
	sync_Mutex_Unlock(&mu);
	chan_send(left, &got_token);
}

/* Locks mu once all n remaining waiters are inside Wait. */
static void lock_when_waiting(int n)
{
	for (;;) {
		sync_Mutex_Lock(&mu);
		if (waiting == n)
			return;
		sync_Mutex_Unlock(&mu);
		runtime_Gosched();
	}
}

int main(void)
{
	cond = sync_NewCond(&mu);
	left = chan_make(sizeof(bool), 0);
	for (int i = 0; i < WAITERS; i++)
		go(waiter, NULL);

	int one_at_a_time = 0;
	for (int i = 0; i < SIGNALS; i++) {
		lock_when_waiting(WAITERS - i);
		tokens++;
		sync_Cond_Signal(cond);
		sync_Mutex_Unlock(&mu);
		bool got;
		chan_recv(left, &got);
		sync_Mutex_Lock(&mu);
		one_at_a_time += got && wakeups == i + 1 && waiting == WAITERS - i - 1;
		sync_Mutex_Unlock(&mu);
	}
	printf("Signal: %d tokens, %d waiters woken one at a time%s\n", SIGNALS, one_at_a_time,
	       one_at_a_time == SIGNALS ? "" : " (FAIL)");

	lock_when_waiting(WAITERS - SIGNALS);
	released = true;
	sync_Cond_Broadcast(cond);
	sync_Mutex_Unlock(&mu);
	int woken = 0;
	for (int i = SIGNALS; i < WAITERS; i++) {
		bool got;
		chan_recv(left, &got);
		woken += !got;
	}
	printf("Broadcast: %d waiters woken\n", woken);
	printf("Wait returned %d times for %d waiters\n", wakeups, WAITERS);
	return 0;
}
