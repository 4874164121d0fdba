/*
 * Timer channels with Go 1.23's semantics. After delivers once, no earlier
 * than asked; a Timer stopped before it fires reports true and delivers
 * nothing; a fired but unreceived value counts as not yet delivered (Stop
 * and Reset drain it and report true), so no stale value is ever received
 * after Stop or Reset; Reset re-arms; a Ticker delivers ticks in order,
 * drops ticks for a slow reader, and delivers nothing after Stop until a
 * Reset. Then goroutines on every CPU stop and reset timers racing their
 * firing on other CPUs: each Stop of a timer nobody received from returns
 * true and nothing arrives afterwards. AfterFunc runs its function in a
 * goroutine of its own (two that block on unbuffered sends both run), no
 * earlier than asked, and its Stop and Reset report as a Timer's do.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: after: delivered once
 * expect-line: timer: stop before firing
 * expect-line: timer: stop and reset drain a stale value
 * expect-line: timer: reset re-arms
 * expect-line: ticker: ticks, drops, stop, reset
 * expect-line: racing stops: no stale values
 * expect-line: afterfunc: own goroutines, stop, reset
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <gort/chan.h>
#include <stdio.h>

#define MS time_Millisecond

static bool ok = true;

static void check(bool cond, const char *what)
{
	if (!cond) {
		printf("FAIL: %s\n", what);
		ok = false;
	}
}

/* Whether c has a value ready. */
static bool ready(chan_t *c)
{
	time_Time v;
	return chan_tryrecv(c, &v, NULL);
}

static void test_after(void)
{
	time_Time start = time_Now();
	chan_t *c = time_After(20 * MS);
	time_Time v;
	check(chan_recv(c, &v), "After delivers");
	check(time_Since(start) >= 20 * MS, "After waits at least d");
	check(time_Time_Sub(v, start) >= 20 * MS, "After's value is when it fired");
	time_Sleep(50 * MS);
	check(!ready(c), "After delivers once");
	if (ok)
		printf("after: delivered once\n");
}

static void test_timer_stop(void)
{
	time_Timer *t = time_NewTimer(time_Hour);
	check(time_Timer_Stop(t), "Stop of a pending timer returns true");
	check(!time_Timer_Stop(t), "a second Stop returns false");
	t = time_NewTimer(30 * MS);
	check(time_Timer_Stop(t), "Stop before firing returns true");
	time_Sleep(80 * MS);
	check(!ready(t->C), "a stopped timer delivers nothing");
	if (ok)
		printf("timer: stop before firing\n");
}

/* Waits until a value is ready in c (without taking it). */
static void wait_fired(chan_t *c)
{
	while (chan_len(c) == 0)
		time_Sleep(time_Millisecond);
}

static void test_timer_stale(void)
{
	/* Fired, not received: Stop drains it and reports the stop. */
	time_Timer *t = time_NewTimer(5 * MS);
	wait_fired(t->C);
	check(time_Timer_Stop(t), "Stop of a fired, unreceived timer returns true");
	check(!ready(t->C), "no stale value after Stop");

	/* The same for Reset, which then fires anew. */
	t = time_NewTimer(5 * MS);
	wait_fired(t->C);
	time_Time before = time_Now();
	check(time_Timer_Reset(t, 20 * MS), "Reset of a fired, unreceived timer returns true");
	check(!ready(t->C), "no stale value after Reset");
	time_Time v;
	chan_recv(t->C, &v);
	check(time_Time_Sub(v, before) >= 20 * MS, "the value after Reset is the new firing");

	/* Fired and received: Stop has nothing to stop. */
	check(!time_Timer_Stop(t), "Stop after the value was received returns false");
	if (ok)
		printf("timer: stop and reset drain a stale value\n");
}

static void test_timer_reset(void)
{
	time_Timer *t = time_NewTimer(time_Hour);
	time_Time start = time_Now();
	check(time_Timer_Reset(t, 20 * MS), "Reset of a pending timer returns true");
	time_Time v;
	chan_recv(t->C, &v);
	check(time_Since(start) >= 20 * MS, "a reset timer fires after the new d");
	check(!time_Timer_Reset(t, 10 * MS), "Reset of a received timer returns false");
	chan_recv(t->C, &v);
	check(!time_Timer_Reset(t, -1), "Reset of a received timer returns false");
	chan_recv(t->C, &v);
	check(!ready(t->C), "one value per firing");
	if (ok)
		printf("timer: reset re-arms\n");
}

static void test_ticker(void)
{
	check(time_Tick(0) == NULL, "Tick(0) is nil");
	time_Time start = time_Now();
	time_Ticker *tk = time_NewTicker(10 * MS);
	time_Time prev = start;
	for (int i = 0; i < 5; i++) {
		time_Time v;
		chan_recv(tk->C, &v);
		check(time_Time_Sub(v, prev) > 0, "ticks in order");
		prev = v;
	}
	check(time_Since(start) >= 50 * MS, "five ticks take five periods");

	/* A slow reader: the ticks it missed are dropped, one at most waits. */
	time_Sleep(100 * MS);
	check(chan_len(tk->C) <= 1, "a slow reader finds one tick at most");
	wait_fired(tk->C);

	time_Ticker_Stop(tk);
	check(!ready(tk->C), "no stale tick after Stop");
	time_Sleep(50 * MS);
	check(!ready(tk->C), "no tick after Stop");

	start = time_Now();
	time_Ticker_Reset(tk, 20 * MS);
	time_Time v;
	chan_recv(tk->C, &v);
	chan_recv(tk->C, &v);
	check(time_Since(start) >= 40 * MS, "a reset ticker ticks at the new period");
	time_Ticker_Stop(tk);
	if (ok)
		printf("ticker: ticks, drops, stop, reset\n");
}

/* Goroutines on every CPU: each arms timers due about now and stops them
 * (often while another CPU fires them), never receiving. */
#define RACERS 8
#define ROUNDS 200

static chan_t *racers_done;

static void racer(void *arg)
{
	int id = (int)(intptr_t)arg;
	bool good = true;
	for (int r = 0; r < ROUNDS; r++) {
		time_Timer *t =
		    time_NewTimer((time_Duration)((r + id) % 4) * 100 * time_Microsecond);
		if ((r + id) % 3 == 0)
			runtime_Gosched();
		if (r % 2 == 0)
			good &=
			    time_Timer_Reset(t, (time_Duration)(r % 3) * 100 * time_Microsecond);
		if ((r + id) % 5 == 0)
			time_Sleep(200 * time_Microsecond);
		good &= time_Timer_Stop(t);
		good &= !ready(t->C);
		good &= !time_Timer_Stop(t);
	}
	chan_send(racers_done, &good);
}

static void test_racing_stops(void)
{
	racers_done = chan_make(sizeof(bool), RACERS);
	for (int i = 0; i < RACERS; i++)
		go(racer, (void *)(intptr_t)i);
	bool all = true;
	for (int i = 0; i < RACERS; i++) {
		bool good;
		chan_recv(racers_done, &good);
		all &= good;
	}
	check(all, "every Stop of an unreceived timer returns true, then nothing arrives");
	if (ok)
		printf("racing stops: no stale values\n");
}

/* An AfterFunc function: sends its start time on an unbuffered channel
 * (it blocks until main receives). */
static void send_now(void *arg)
{
	time_Time now = time_Now();
	chan_send(arg, &now);
}

static void test_afterfunc(void)
{
	chan_t *c1 = chan_make(sizeof(time_Time), 0), *c2 = chan_make(sizeof(time_Time), 0);
	time_Time start = time_Now();
	time_AfterFunc(10 * MS, send_now, c1);
	time_AfterFunc(20 * MS, send_now, c2);
	time_Sleep(50 * MS);
	time_Time v1, v2;
	chan_recv(c2, &v2);
	chan_recv(c1, &v1);
	check(time_Time_Sub(v1, start) >= 10 * MS && time_Time_Sub(v2, start) >= 20 * MS,
	      "AfterFunc runs no earlier than asked");

	time_Timer *t = time_AfterFunc(time_Hour, send_now, c1);
	check(t->C == NULL, "an AfterFunc timer has no channel");
	check(time_Timer_Stop(t), "Stop of a pending AfterFunc returns true");
	check(!time_Timer_Reset(t, 10 * MS), "Reset of a stopped AfterFunc returns false");
	chan_recv(c1, &v1);
	check(!time_Timer_Stop(t), "Stop after the function started returns false");
	if (ok)
		printf("afterfunc: own goroutines, stop, reset\n");
}

int main(void)
{
	test_after();
	test_timer_stop();
	test_timer_stale();
	test_timer_reset();
	test_ticker();
	test_racing_stops();
	test_afterfunc();
	return ok ? 0 : 1;
}
