/*
 * debug.SetGCPercent and debug.SetMemoryLimit: the GOGC and GOMEMLIMIT
 * entries of the settings table, changed at run time. The collector's
 * pacer reads the table at each cycle start.
 */
#include <gort/debug.h>

#include "runtime/settings.h"

int debug_SetGCPercent(int percent)
{
	int old = settings.gogc;
	settings.gogc = percent < 0 ? GOGC_OFF : percent;
	return old;
}

int64_t debug_SetMemoryLimit(int64_t limit)
{
	int64_t old = settings.gomemlimit;
	if (limit >= 0)
		settings.gomemlimit = limit;
	return old;
}
