/*
 * The MC146818 ("CMOS") real-time clock; see mc146818.h.
 */
#include "drivers/mc146818.h"

#define REG_SECONDS       0x00
#define REG_MINUTES       0x02
#define REG_HOURS         0x04
#define REG_DAY           0x07
#define REG_MONTH         0x08
#define REG_YEAR          0x09
#define REG_STATUS_A      0x0a
#define REG_STATUS_B      0x0b
#define REG_CENTURY       0x32
#define STATUS_A_UPDATING 0x80 /* an update is in progress or imminent */
#define STATUS_B_24HOUR   0x02
#define STATUS_B_BINARY   0x04
#define HOURS_PM          0x80 /* 12-hour form */
#define MAX_PASSES        100
#define UPDATE_WAIT_POLLS 1000000
#define SECONDS_PER_DAY   86400

struct rtc_regs {
	uint8_t sec, min, hour, day, month, year, century, status_b;
};

/* One pass: waits for no update in progress (the chip then guarantees at
 * least 244 us before the next one), then reads every register. */
static bool read_pass(struct mc146818 *rtc, struct rtc_regs *r)
{
	int polls = 0;
	while (rtc->read(REG_STATUS_A) & STATUS_A_UPDATING)
		if (++polls == UPDATE_WAIT_POLLS)
			return false;
	r->sec = rtc->read(REG_SECONDS);
	r->min = rtc->read(REG_MINUTES);
	r->hour = rtc->read(REG_HOURS);
	r->day = rtc->read(REG_DAY);
	r->month = rtc->read(REG_MONTH);
	r->year = rtc->read(REG_YEAR);
	r->century = rtc->read(REG_CENTURY);
	r->status_b = rtc->read(REG_STATUS_B);
	return true;
}

static unsigned decode(uint8_t v, bool bcd)
{
	return bcd ? (v >> 4) * 10 + (v & 0xf) : v;
}

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return days[m - 1] + (m == 2 && leap(y));
}

/* Seconds since 1970-01-01 00:00:00 UTC; false for an invalid date. */
static bool to_unix(const struct rtc_regs *raw, int64_t *out)
{
	bool bcd = !(raw->status_b & STATUS_B_BINARY);
	bool hours12 = !(raw->status_b & STATUS_B_24HOUR);
	unsigned sec = decode(raw->sec, bcd), min = decode(raw->min, bcd);
	unsigned day = decode(raw->day, bcd), month = decode(raw->month, bcd);
	unsigned year = decode(raw->year, bcd), century = decode(raw->century, bcd);
	bool pm = hours12 && (raw->hour & HOURS_PM);
	unsigned hour = decode(hours12 ? raw->hour & (uint8_t)~HOURS_PM : raw->hour, bcd);
	if (hours12) {
		if (hour < 1 || hour > 12)
			return false;
		hour = hour % 12 + (pm ? 12 : 0);
	}
	if (century >= 19 && century <= 21)
		year += century * 100;
	else
		year += year < 70 ? 2000 : 1900;
	if (sec > 59 || min > 59 || hour > 23 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || year < 1970)
		return false;
	int64_t days = day - 1;
	for (unsigned y = 1970; y < year; y++)
		days += leap(y) ? 366 : 365;
	for (unsigned m = 1; m < month; m++)
		days += days_in_month(year, m);
	*out = days * SECONDS_PER_DAY + hour * 3600 + min * 60 + sec;
	return true;
}

bool mc146818_read(struct mc146818 *rtc, int64_t *unix_seconds)
{
	struct rtc_regs a, b;
	bool settled = false;
	unsigned long flags = spin_lock_irqsave(&rtc->lock);
	if (read_pass(rtc, &a)) {
		for (int i = 0; i < MAX_PASSES && !settled; i++) {
			if (!read_pass(rtc, &b))
				break;
			settled = __builtin_memcmp(&a, &b, sizeof a) == 0;
			a = b;
		}
	}
	spin_unlock_irqrestore(&rtc->lock, flags);
	return settled && to_unix(&a, unix_seconds);
}
