/*
 * Package time, in C: wall and monotonic clock readings, Sleep, timers and
 * tickers.
 *
 * A time_Time from time_Now carries both a wall-clock reading and a
 * monotonic one, as in Go; time_Time_Sub and time_Since use the monotonic
 * readings when both times have one, so they are immune to wall-clock
 * changes.
 *
 * Timers and tickers have Go 1.23's semantics: their channel C holds at
 * most one value, and once time_Timer_Stop, time_Timer_Reset,
 * time_Ticker_Stop or time_Ticker_Reset has returned, no value prepared
 * before the call can be received from C.
 */
#ifndef GORT_TIME_H
#define GORT_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include <gort/chan.h>

typedef int64_t time_Duration;

#define time_Nanosecond  ((time_Duration)1)
#define time_Microsecond (1000 * time_Nanosecond)
#define time_Millisecond (1000 * time_Microsecond)
#define time_Second      (1000 * time_Millisecond)
#define time_Minute      (60 * time_Second)
#define time_Hour        (60 * time_Minute)

typedef struct {
	int64_t wall; /* nanoseconds since the Unix epoch, UTC */
	int64_t mono; /* monotonic clock reading, if has_mono */
	bool has_mono;
} time_Time;

time_Time time_Now(void);
time_Duration time_Since(time_Time t);
time_Duration time_Time_Sub(time_Time t, time_Time u);
int64_t time_Time_Unix(time_Time t);
int64_t time_Time_UnixNano(time_Time t);

/* time.Sleep: pauses the calling goroutine for at least d. A duration of
 * zero or less returns at once. */
void time_Sleep(time_Duration d);

/* time.Timer: a single event. When it fires, the current time is sent on
 * C (a channel of time_Time), or an AfterFunc's function starts. Made only
 * by time_NewTimer and time_AfterFunc: the runtime's timer lives in the
 * same allocation, after C (as in Go), so a Timer is used through the
 * pointer it returns, never copied. */
typedef struct time_Timer {
	chan_t *C;
} time_Timer;

/* time.NewTimer: a Timer that sends the current time on its channel after
 * at least d. */
time_Timer *time_NewTimer(time_Duration d);

/* time.Timer.Stop: prevents the Timer from firing. Returns true if the
 * call stops the timer, false if the timer has already expired (and its
 * value was received) or been stopped. */
bool time_Timer_Stop(time_Timer *t);

/* time.Timer.Reset: changes the timer to expire after d. Returns true if
 * the timer had been active, false if it had expired or been stopped. */
bool time_Timer_Reset(time_Timer *t, time_Duration d);

/* time.AfterFunc: waits at least d, then calls f(arg) in its own
 * goroutine. The Timer's C is NULL; its Stop and Reset work as for other
 * Timers (Stop returns false once f has been started or is about to be). */
time_Timer *time_AfterFunc(time_Duration d, void (*f)(void *arg), void *arg);

/* time.After: time_NewTimer(d)->C. */
chan_t *time_After(time_Duration d);

/* time.Ticker: delivers ticks of a clock at intervals on C (a channel of
 * time_Time); ticks are dropped for a slow receiver. Made only by
 * time_NewTicker, used through its pointer (as time_Timer). */
typedef struct time_Ticker {
	chan_t *C;
} time_Ticker;

/* time.NewTicker: a Ticker sending the current time every d; d must be
 * positive, or it panics ("non-positive interval for NewTicker"). */
time_Ticker *time_NewTicker(time_Duration d);

/* time.Ticker.Stop: turns off the ticker; no more ticks will be sent. */
void time_Ticker_Stop(time_Ticker *t);

/* time.Ticker.Reset: stops the ticker and resets its period to d; the next
 * tick arrives after the new period. d must be positive, or it panics
 * ("non-positive interval for Ticker.Reset"). */
void time_Ticker_Reset(time_Ticker *t, time_Duration d);

/* time.Tick: time_NewTicker(d)->C, or NULL if d <= 0. */
chan_t *time_Tick(time_Duration d);

#endif
