/*
 * Panicking and recovering: Go's gopanic, gorecover and recovery, the
 * Goexit loop, and the panic values the runtime makes (the contract is
 * include/gort/panic.h; runtime/panic.h has the goroutine's chains).
 *
 * A panic pushes a struct panic on g.panic and runs the goroutine's
 * deferred calls (defers_run, defer.c). If one of them recovers it, the
 * recovery happens once that call has returned: the panic leaves g.panic
 * together with the older panics it aborted (their gopanic frames lie
 * below the recovering scope's frame, so they are unwound with it), and
 * the goroutine longjmps to the recovering scope's gort_scope_begin, which
 * returns nonzero; the scope then ends as it would have at its end, running
 * its remaining deferred calls. If one of the aborted entries is a Goexit,
 * the recovery resumes that Goexit's loop instead: a Goexit cannot be
 * cancelled, as in Go. A panic that nothing recovers goes to the report
 * (panic_report.c) once every deferred call has run.
 *
 * Interrupts. Program code runs with interrupts on, deferred calls
 * included, and so does everything here. Runtime code that holds a
 * spinlock has interrupts off; a panic raised there, or in a CPU's
 * scheduler context, or under preempt_disable, cannot unwind safely and
 * is Go's fatal error instead ("panic holding locks", "panic on system
 * stack", "panic during preemptoff"). Every runtime caller of
 * gopanic_string releases its lock and restores interrupts first. So a
 * recovery always leaves code that runs with interrupts on for code that
 * ran with interrupts on when it opened its scope. The jump itself is
 * picolibc's longjmp, which loads only the callee-saved registers, the
 * stack pointer and the resume address (nothing per-CPU, no interrupt
 * state, no signal mask): the goroutine may have moved to another CPU
 * since the scope opened, and that is fine.
 *
 * recover's "called directly by the deferred function". The panic records
 * the frame pointer of the call_deferred frame that calls its current
 * deferred call (argp). gort_recover reads its own frame record and its
 * caller's (the frame records of kernel/backtrace.h) and accepts when its
 * caller's caller is argp, or its caller is: the deferred function
 * tail-called gort_recover, leaving no frame of its own. Tail calls make
 * the check blind in the same way elsewhere (include/gort/panic.h says
 * how). gort_recover is kept out of line and is no leaf, so its own frame
 * record is complete on every arch (a riscv64 leaf's is not).
 */
#include <stdarg.h>
#include <stdio.h>

#include <gort/panic.h>
#include <gort/runtime.h>

#include "kernel/arch.h"
#include "runtime/panic.h"
#include "runtime/sched.h"
#include "runtime/settings.h"

/* Go's message for *runtime.PanicNilError (Go 1.21). */
#define PANIC_NIL_MSG "panic called with nil argument"

/* Why the running code cannot panic (Go's gopanic checks), or NULL. */
static const char *cannot_panic(void)
{
	unsigned long flags = arch_irq_save();
	struct m *mp = this_m();
	const char *why = NULL;
	if (mp == NULL || mp->curg == NULL)
		why = "panic on system stack";
	else if (!arch_irq_flags_enabled(flags))
		why = "panic holding locks";
	else if (mp->preemptoff != 0)
		why = "panic during preemptoff";
	arch_irq_restore(flags);
	return why;
}

/* A new panic value of kind with a static msg. */
static const gort_panicval_t *new_value(enum gort_panic_kind kind, const char *msg)
{
	gort_panicval_t *v = gort_new(sizeof *v);
	v->kind = kind;
	v->msg = msg;
	return v;
}

/* Go's recovery: drops p and the panics it aborted from g.panic and jumps
 * to the scope p's recovering call was deferred in, or back into a Goexit
 * that the jump would otherwise bypass. */
static _Noreturn void recovery(struct g *gp, struct panic *p)
{
	struct panic *q;
	for (q = p->link; q != NULL && q->aborted; q = q->link) {
		if (q->goexit) {
			q->aborted = false;
			gp->panic = q;
			longjmp(q->goexit_resume, 1);
		}
	}
	gp->panic = q;
	gp->sig = 0; /* a fault that raised the panic is over (sigpanic.c) */
	longjmp(p->scope->resume, 1);
}

/* The panic itself, with v (NULL only for panic(nil) under
 * GODEBUG=panicnil=1), once cannot_panic said it may. */
static _Noreturn void gopanic(const gort_panicval_t *v)
{
	struct g *gp = getg();
	struct panic p = {.arg = v, .link = gp->panic};
	gp->panic = &p;
	defers_run(gp, &p);
	if (p.recovered)
		recovery(gp, &p);
	panic_report(&p);
}

_Noreturn void gort_panic(const char *format, ...)
{
	va_list ap;
	const char *why = cannot_panic();
	if (why != NULL) {
		char buf[256];
		va_start(ap, format);
		vsnprintf(buf, sizeof buf, format, ap);
		va_end(ap);
		gort_panicval_t v = {.kind = GORT_PANIC_STRING, .msg = buf};
		panic_report_cannot(&v, why);
	}
	va_start(ap, format);
	int n = vsnprintf(NULL, 0, format, ap);
	va_end(ap);
	size_t len = n > 0 ? (size_t)n : 0;
	gort_panicval_t *v = gort_new(sizeof *v + len + 1);
	char *msg = (char *)(v + 1);
	va_start(ap, format);
	vsnprintf(msg, len + 1, format, ap);
	va_end(ap);
	v->kind = GORT_PANIC_STRING;
	v->msg = msg;
	gopanic(v);
}

_Noreturn void gort_panic_value(const gort_panicval_t *v)
{
	const char *why = cannot_panic();
	if (why != NULL)
		panic_report_cannot(v, why);
	if (v == NULL && godebug_int("panicnil", 0) != 1)
		v = new_value(GORT_PANIC_NIL_ERROR, PANIC_NIL_MSG);
	gopanic(v);
}

_Noreturn void gopanic_string(const char *msg)
{
	const char *why = cannot_panic();
	if (why != NULL) {
		gort_panicval_t v = {.kind = GORT_PANIC_RUNTIME_ERROR, .msg = msg};
		panic_report_cannot(&v, why);
	}
	gopanic(new_value(GORT_PANIC_RUNTIME_ERROR, msg));
}

/* The frame pointer saved in the frame record at fp (the caller's), or 0
 * when that record is not inside gp's stack. */
static uintptr_t frame_link(const struct g *gp, uintptr_t fp)
{
	uintptr_t slot = fp + ARCH_FRAME_LINK_OFFSET;
	if (fp % sizeof(uintptr_t) != 0 || slot < gp->stack_mapped_lo ||
	    slot + sizeof(uintptr_t) > gp->stack_hi)
		return 0;
	return *(const uintptr_t *)slot;
}

/* gort_recover's work, given gort_recover's frame pointer: Go's
 * gorecover. Out of line, so that gort_recover is no leaf. */
static __attribute__((noinline)) void gorecover(uintptr_t fp, const gort_panicval_t **out)
{
	struct g *gp = getg();
	struct panic *p = gp != NULL ? gp->panic : NULL;
	if (p == NULL || p->goexit || p->recovered || p->argp == 0)
		return;
	uintptr_t caller = frame_link(gp, fp);
	if (caller != p->argp && (caller == 0 || frame_link(gp, caller) != p->argp))
		return;
	p->recovered = true;
	*out = p->arg;
}

/* The result goes through memory: a callee that writes the caller's
 * local cannot be a tail call, so this frame, the one gorecover reads,
 * stays in place until gorecover returns. */
__attribute__((noinline)) const gort_panicval_t *gort_recover(void)
{
	const gort_panicval_t *v = NULL;
	gorecover((uintptr_t)__builtin_frame_address(0), &v);
	return v;
}

/* gort_pcall's deferred call: recovers directly, as a Go deferred
 * function calling recover() does. */
static void pcall_recover(void *result)
{
	*(const gort_panicval_t *volatile *)result = gort_recover();
}

const gort_panicval_t *gort_pcall(void (*fn)(void *arg), void *arg)
{
	const gort_panicval_t *volatile result = NULL;
	gort_scope {
		gort_defer(pcall_recover, (void *)&result);
		fn(arg);
	}
	return result;
}

void goexit_run_defers(void)
{
	struct g *gp = getg();
	if (gp == NULL || (gp->scope == NULL && gp->panic == NULL))
		return;
	struct panic gx = {.goexit = true, .link = gp->panic};
	gp->panic = &gx;
	/* A recovery that would jump past this Goexit comes back here, with
	 * g.panic set to gx again, and the loop goes on where it was. */
	setjmp(gx.goexit_resume);
	defers_run(gp, &gx);
	gp->panic = NULL;
}
