/*
 * Package time, in C: wall and monotonic clock readings. (Sleep, timers and
 * tickers need the scheduler and arrive with it.)
 *
 * A time_Time from time_Now carries both a wall-clock reading and a
 * monotonic one, as in Go; time_Time_Sub and time_Since use the monotonic
 * readings when both times have one, so they are immune to wall-clock
 * changes.
 */
#ifndef GORT_TIME_H
#define GORT_TIME_H

#include <stdbool.h>
#include <stdint.h>

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

#endif
