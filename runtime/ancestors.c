/*
 * Goroutine ancestry for tracebacks (ancestors.h).
 */
#include "runtime/ancestors.h"

#include <gort/runtime.h>
#include <string.h>

#include "kernel/arch.h"
#include "runtime/sched.h"
#include "runtime/settings.h"

/* Frames kept of each ancestor's stack. */
#define ANCESTOR_FRAMES 32

struct ancestor {
	int64_t goid;     /* the creator, as it was then */
	int64_t parentgoid;
	uintptr_t gopc;   /* where the creator itself was created */
	int nframes;
	struct backtrace_frame frames[ANCESTOR_FRAMES];
};

struct ancestors {
	int n; /* newest (the creator) first */
	struct ancestor a[];
};

static int generations; /* GODEBUG=tracebackancestors; set before goroutines start */

void ancestors_init(void)
{
	int64_t n = godebug_int("tracebackancestors", 0);
	generations = n < 0 ? 0 : n > 1000 ? 1000 : (int)n;
}

struct ancestors *ancestors_capture(uintptr_t pc, uintptr_t fp)
{
	if (generations == 0)
		return NULL;
	struct g *creator = getg();
	if (creator == NULL)
		return NULL;
	const struct ancestors *older = creator->ancestors;
	int inherit = older != NULL ? older->n : 0;
	if (inherit > generations - 1)
		inherit = generations - 1;
	struct ancestors *an =
	    gort_new(sizeof *an + (size_t)(inherit + 1) * sizeof(struct ancestor));
	struct ancestor *me = &an->a[0];
	me->goid = creator->goid;
	me->parentgoid = creator->parentgoid;
	me->gopc = creator->gopc;
	me->nframes = backtrace_walk_here(pc, fp, me->frames, ANCESTOR_FRAMES);
	if (inherit > 0)
		memcpy(&an->a[1], older->a, (size_t)inherit * sizeof(struct ancestor));
	an->n = inherit + 1;
	return an;
}

void ancestors_print(struct tb_writer *w, const struct g *gp, bool system)
{
	const struct ancestors *an = gp->ancestors;
	if (an == NULL)
		return;
	for (int i = 0; i < an->n; i++) {
		const struct ancestor *a = &an->a[i];
		tb_printf(w, "[originating from goroutine %lld]:\n", (long long)a->goid);
		traceback_frames(w, a->frames, a->nframes, system);
		traceback_created_by(w, a->gopc, a->goid, a->parentgoid);
	}
}
