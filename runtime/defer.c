/*
 * Deferred calls and the scopes that hold them (the contract is
 * include/gort/panic.h; runtime/panic.h describes the goroutine's chains).
 *
 * Storage. A scope keeps its first GORT_SCOPE_DEFERS deferred calls in
 * itself, on the stack of the function that opened it, so the common case
 * allocates nothing. More go to blocks of DEFER_BLOCK_CALLS calls from
 * malloc (manual objects: never collected, and scanned, so the arguments'
 * pointers stay alive), newest block first, each freed as soon as it is
 * empty. The newest call is the last one of the newest block, or of the
 * scope's own array when it has no block, so pushing and popping are O(1).
 * Invariant: every block on a scope's list holds at least one call.
 *
 * Running. Every deferred call goes through call_deferred, which calls it
 * inside a scope of its own: what the call defers without opening a scope
 * runs when it returns, as a Go function's deferred calls do, and a
 * recovery by one of those resumes in call_deferred, which then returns as
 * the deferred call would have. call_deferred records its own frame
 * pointer in the panic or Goexit that runs the call; gort_recover checks
 * its caller against it (panic.c).
 *
 * A scope that ends normally (gort_scope_end) runs its calls with no panic
 * attached. A panic or Goexit (defers_run) walks outward through g.scope:
 * it takes calls from the innermost scope until that one is empty, then
 * unlinks it and goes on with the enclosing one. An unlinked scope's
 * function is never returned to: it lies below the frame a recovery jumps
 * to, or the goroutine ends. Passing an older panic's scope (the one whose
 * deferred call raised this panic) makes that panic aborted: it will never
 * continue, as in Go.
 *
 * All of this runs on the goroutine that owns the scopes, with interrupts
 * on; nothing here is shared, so nothing is locked.
 */
#include <stdlib.h>

#include "runtime/panic.h"
#include "runtime/proc.h"
#include "runtime/throw.h"

#define DEFER_BLOCK_CALLS 32

struct defer_call {
	void (*fn)(void *arg);
	void *arg;
};

/* Deferred calls beyond a scope's own array. */
struct gort_defer_block {
	struct gort_defer_block *next; /* the older block */
	int n;                         /* calls in d, at least 1 while listed */
	struct defer_call d[DEFER_BLOCK_CALLS];
};

gort_scope_t *gort_scope_enter_(gort_scope_t *s)
{
	struct g *gp = getg();
	if (gp == NULL)
		throw("gort_scope_begin: not on a goroutine");
	s->link = gp->scope;
	s->more = NULL;
	s->ndefer = 0;
	gp->scope = s;
	return s;
}

void gort_defer(void (*fn)(void *arg), void *arg)
{
	struct g *gp = getg();
	gort_scope_t *s = gp != NULL ? gp->scope : NULL;
	if (s == NULL)
		gopanic_string("gort_defer called outside a gort_scope");
	if (s->more == NULL && s->ndefer < GORT_SCOPE_DEFERS) {
		s->d[s->ndefer].fn = fn;
		s->d[s->ndefer].arg = arg;
		s->ndefer++;
		return;
	}
	struct gort_defer_block *b = s->more;
	if (b == NULL || b->n == DEFER_BLOCK_CALLS) {
		b = malloc(sizeof *b);
		b->next = s->more;
		b->n = 0;
		s->more = b;
	}
	b->d[b->n++] = (struct defer_call){fn, arg};
}

/* Takes the newest deferred call off s into *d; false if s has none. */
static bool scope_pop(gort_scope_t *s, struct defer_call *d)
{
	struct gort_defer_block *b = s->more;
	if (b != NULL) {
		*d = b->d[--b->n];
		if (b->n == 0) {
			s->more = b->next;
			free(b);
		}
		return true;
	}
	if (s->ndefer == 0)
		return false;
	s->ndefer--;
	d->fn = s->d[s->ndefer].fn;
	d->arg = s->d[s->ndefer].arg;
	return true;
}

/* Calls d as a function with a scope of its own. p is the panic or Goexit
 * running it, NULL when a scope ends normally. Never inlined: it calls
 * setjmp (gort_scope), so its frame is the one d.fn returns to, whose
 * frame pointer p->argp holds. */
static void call_deferred(struct defer_call d, struct panic *p)
{
	gort_scope {
		if (p != NULL)
			p->argp = (uintptr_t)__builtin_frame_address(0);
		d.fn(d.arg);
	}
}

void gort_scope_end(gort_scope_t *s)
{
	struct g *gp = getg();
	if (gp == NULL || gp->scope != s)
		gofatal("gort_scope_end of a scope that is not the innermost open one");
	struct defer_call d;
	while (scope_pop(s, &d))
		call_deferred(d, NULL);
	gp->scope = s->link;
}

void defers_run(struct g *gp, struct panic *p)
{
	gort_scope_t *s;
	while ((s = gp->scope) != NULL) {
		for (struct panic *q = p->link; q != NULL; q = q->link)
			if (q->scope == s)
				q->aborted = true;
		struct defer_call d;
		if (!scope_pop(s, &d)) {
			gp->scope = s->link;
			continue;
		}
		p->scope = s;
		call_deferred(d, p);
		if (p->recovered)
			return;
	}
}
