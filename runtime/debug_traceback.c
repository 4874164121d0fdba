/*
 * debug.SetTraceback: raises how much the runtime prints before it exits
 * on an unrecovered panic or a fatal error. It takes GOTRACEBACK's values
 * and, as in Go, never goes below what the GOTRACEBACK environment
 * variable asked for: the result is the larger level, with the all and
 * crash flags of either.
 */
#include <gort/debug.h>
#include <stdlib.h>

#include "runtime/settings.h"

void debug_SetTraceback(const char *level)
{
	const char *env = getenv("GOTRACEBACK");
	struct traceback_setting t = go_parse_traceback(level != NULL ? level : "");
	struct traceback_setting e = go_parse_traceback(env != NULL ? env : "");
	if (e.level > t.level)
		t.level = e.level;
	t.all = t.all || e.all;
	t.crash = t.crash || e.crash;
	settings.traceback = t;
}
