/*
 * The wall clock starts from the real-time clock and matches the host's
 * (within seconds); the monotonic clock runs at the real rate (two RTC
 * seconds measure 2 s, within loose bounds: the machine is emulated); and
 * a 200 ms busy wait measured with time_Since agrees with the RTC-checked
 * clock.
 *
 * expect-unix-time: unix time:
 * expect-line: two RTC seconds measure 2 s
 * expect-line: busy wait measured 200 ms
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#include "kernel/arch.h"
#include "kernel/clock.h"

/* Waits for the RTC's second to change; returns nanotime at the change. */
static uint64_t next_rtc_second(void)
{
	int64_t start, now;
	arch_rtc_read(&start);
	do
		arch_rtc_read(&now);
	while (now == start);
	return nanotime();
}

int main(void)
{
	time_Time t = time_Now();
	printf("unix time: %lld\n", (long long)time_Time_Unix(t));

	next_rtc_second();
	uint64_t a = next_rtc_second();
	next_rtc_second();
	uint64_t b = next_rtc_second();
	double seconds = (double)(b - a) / 1e9;
	printf("two RTC seconds took %.3f s of nanotime\n", seconds);
	if (seconds < 1.6 || seconds > 2.4) {
		printf("FAIL: the counter does not run at the RTC's rate\n");
		return 1;
	}
	printf("two RTC seconds measure 2 s\n");

	time_Time start = time_Now();
	while (time_Since(start) < 200 * time_Millisecond)
		;
	time_Duration d = time_Since(start);
	printf("busy wait of 200 ms: time_Since says %lld us\n", (long long)(d / 1000));
	if (d < 200 * time_Millisecond || d > 300 * time_Millisecond) {
		printf("FAIL: busy wait\n");
		return 1;
	}
	printf("busy wait measured 200 ms\n");
	return 0;
}
