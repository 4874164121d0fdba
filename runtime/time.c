/*
 * time.Now and friends over the kernel's clocks (kernel/clock.h). Sub
 * saturates at the minimum and maximum Duration, as Go's does.
 */
#include <gort/time.h>

#include "kernel/clock.h"

time_Time time_Now(void)
{
	return (time_Time){.wall = walltime(), .mono = (int64_t)nanotime(), .has_mono = true};
}

static time_Duration saturating_sub(int64_t a, int64_t b)
{
	int64_t d;
	if (!__builtin_sub_overflow(a, b, &d))
		return d;
	return a > b ? INT64_MAX : INT64_MIN;
}

time_Duration time_Time_Sub(time_Time t, time_Time u)
{
	if (t.has_mono && u.has_mono)
		return saturating_sub(t.mono, u.mono);
	return saturating_sub(t.wall, u.wall);
}

time_Duration time_Since(time_Time t)
{
	return time_Time_Sub(time_Now(), t);
}

int64_t time_Time_Unix(time_Time t)
{
	int64_t s = t.wall / time_Second;
	return t.wall % time_Second < 0 ? s - 1 : s;
}

int64_t time_Time_UnixNano(time_Time t)
{
	return t.wall;
}
