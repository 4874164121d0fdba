/*
 * The runtime's side of panic, recover, defer and Goexit (the public
 * contract is include/gort/panic.h), shared by defer.c (scopes and their
 * deferred calls) and panic.c (panics, recovery, the report).
 *
 * A goroutine has two chains, both through its own stack and both touched
 * only by the goroutine itself (no lock, interrupts on):
 *
 *   g.scope  its open scopes, innermost first (gort_scope_t.link). A
 *            scope is linked by gort_scope_begin and unlinked when it
 *            ends: normally (gort_scope_end), or when a panic or Goexit
 *            has run all its deferred calls and passes on to the
 *            enclosing scope (its frame is then never returned to).
 *   g.panic  the running panics and Goexits, newest first (Go's
 *            g._panic): a struct panic each, on the stack of the gopanic
 *            or Goexit that runs it.
 *
 * A panic or Goexit runs deferred calls from the innermost scope outwards
 * (defers_run). A deferred call is taken off its scope before it runs, so
 * it runs at most once, whoever runs the scope's remaining calls later.
 */
#ifndef GORT_RUNTIME_PANIC_H
#define GORT_RUNTIME_PANIC_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include <gort/panic.h>

struct g;

/* A running panic or Goexit (Go's _panic). */
struct panic {
	const gort_panicval_t *arg; /* the value; NULL for a Goexit, or panic(nil)
				     * under GODEBUG=panicnil=1 */
	struct panic *link;         /* the panic or Goexit this one interrupted */
	gort_scope_t *scope;        /* the scope of the deferred call it is running */
	uintptr_t argp;             /* the frame pointer of the function that calls
				     * that deferred call (gort_recover's check) */
	bool goexit;                /* a Goexit, not a panic */
	bool recovered;             /* gort_recover stopped it */
	bool aborted;               /* a newer panic went past its scope: it never
				     * continues (it is dropped when that one is
				     * recovered) */
	bool repanicked;            /* the next newer panic has the same value
				     * (printing only) */
	jmp_buf goexit_resume;      /* a Goexit's loop, where a recovery that would
				     * bypass the Goexit resumes it instead */
};

/* Runs the running goroutine gp's deferred calls for p, innermost scope
 * first, each scope's newest first, until none is left (returns) or a
 * deferred call recovered p (returns with p->recovered set and p->scope
 * the scope that call was deferred in). Marks older panics that p goes
 * past aborted. defer.c. */
void defers_run(struct g *gp, struct panic *p);

/* Runs every deferred call of the running goroutine (runtime_Goexit
 * calls it before the goroutine exits): Go's Goexit loop. A panic in one
 * of them that is recovered in a scope the Goexit had reached resumes the
 * Goexit, as in Go. panic.c. */
void goexit_run_defers(void);

/* The end of a panic that nothing recovered, p the running goroutine's
 * newest panic: prints Go's report (the chain of panics, a
 * blank line, the goroutine's traceback) and exits with status 2.
 * panic_report.c. */
_Noreturn void panic_report(struct panic *p);

/* The end of a panic with value v raised where no panic can run (why is
 * Go's message: "panic holding locks", ...): "panic: <v>", then the fatal
 * error why, the traceback, status 2. panic_report.c. */
_Noreturn void panic_report_cannot(const gort_panicval_t *v, const char *why);

#endif
