/*
 * The host scheduler stand-in (sched_host.h): ucontext coroutines on one
 * thread. The scheduler loop runs on the thread's own stack; each
 * goroutine has a malloc'd stack. Switches are announced to AddressSanitizer
 * so it follows the stack changes.
 */
#include "tests/unit/host/sched_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include <gort/panic.h>
#include <gort/runtime.h>

#include "runtime/throw.h"
#include "tests/xorshift.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define SAN_START(save, bottom, size)  __sanitizer_start_switch_fiber(save, bottom, size)
#define SAN_FINISH(save, bottom, size) __sanitizer_finish_switch_fiber(save, bottom, size)
#else
#define SAN_START(save, bottom, size)  ((void)(save), (void)(bottom), (void)(size))
#define SAN_FINISH(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#endif

#define STACK_SIZE (256 * 1024)
#define MAX_G      4096

struct host_g {
	struct g g; /* first: a struct g * is a struct host_g * */
	ucontext_t ctx;
	void *stack;
	bool dead;
	bool abandoned; /* parked at a host_reset: never runs again */
};

bool host_sched_random;
int host_gomaxprocs = 1;
char host_panic_msg[128];
const char *host_panic_kind;
int host_panics;

static ucontext_t sched_ctx;
/* The scheduler's stack, as AddressSanitizer reported it. */
static const void *sched_stack_bottom;
static size_t sched_stack_size;
/* Every gort_new object, so that leak checking sees them reachable (they
 * are garbage collected in the runtime). */
static void **objects;
static size_t nobjects, capobjects;
static struct host_g *current;
static struct host_g *allg[MAX_G];
static int nallg;
static struct host_g *runq[MAX_G];
static int nrunq;
static uint64_t rng_state = XORSHIFT_SEED;
static uint64_t fake_now;
static int64_t next_goid = 1;

/* What the goroutine asked for when it switched to the scheduler. */
static bool (*park_unlockf)(struct g *gp, void *arg);
static void *park_arg;

uint64_t nanotime(void)
{
	return fake_now;
}

struct g *getg(void)
{
	return current != NULL ? &current->g : NULL;
}

uint32_t cheaprand(void)
{
	return (uint32_t)(xorshift64(&rng_state) >> 32);
}

uint32_t cheaprandn(uint32_t n)
{
	return (uint32_t)(((uint64_t)cheaprand() * n) >> 32);
}

void *gort_new(size_t size)
{
	void *p = calloc(1, size != 0 ? size : 1);
	if (nobjects == capobjects) {
		capobjects = capobjects ? 2 * capobjects : 1024;
		objects = realloc(objects, capobjects * sizeof *objects);
	}
	if (p == NULL || objects == NULL)
		abort();
	objects[nobjects++] = p;
	return p;
}

void *gort_new_noscan(size_t size)
{
	return gort_new(size);
}

int runtime_GOMAXPROCS(int n)
{
	int old = host_gomaxprocs;
	if (n > 0)
		host_gomaxprocs = n;
	return old;
}

void preempt_disable(void)
{
}

void preempt_enable(void)
{
}

_Noreturn void throw(const char *msg)
{
	fprintf(stderr, "fatal error: %s (throw on the host)\n", msg);
	abort();
}

/* Switches from the running goroutine to the scheduler. */
static void to_scheduler(void)
{
	struct host_g *hg = current;
	void *fake;
	SAN_START(hg->dead ? NULL : &fake, sched_stack_bottom, sched_stack_size);
	swapcontext(&hg->ctx, &sched_ctx);
	SAN_FINISH(fake, &sched_stack_bottom, &sched_stack_size);
}

static void runq_put(struct host_g *hg)
{
	if (nrunq == MAX_G)
		throw("sched_host: run queue full");
	runq[nrunq++] = hg;
}

void goready(struct g *gp)
{
	if (gp->status != G_WAITING)
		throw("goready: goroutine not waiting");
	gp->status = G_RUNNABLE;
	runq_put((struct host_g *)gp);
}

void gopark(bool (*unlockf)(struct g *gp, void *arg), void *arg, const char *reason)
{
	struct g *gp = getg();
	gp->waitreason = reason;
	gp->status = G_WAITING;
	park_unlockf = unlockf;
	park_arg = arg;
	to_scheduler();
}

void runtime_Gosched(void)
{
	struct g *gp = getg();
	gp->status = G_RUNNABLE;
	runq_put(current);
	park_unlockf = NULL;
	to_scheduler();
}

static _Noreturn void die(const char *kind, const char *msg)
{
	snprintf(host_panic_msg, sizeof host_panic_msg, "%s", msg);
	host_panic_kind = kind;
	host_panics++;
	if (current == NULL) {
		fprintf(stderr, "%s: %s (outside a goroutine)\n", kind, msg);
		abort();
	}
	current->g.status = G_DEAD;
	current->dead = true;
	park_unlockf = NULL;
	to_scheduler();
	abort();
}

_Noreturn void gopanic_string(const char *msg)
{
	die("panic", msg);
}

_Noreturn void gofatal(const char *msg)
{
	die("fatal error", msg);
}

/* Scopes and deferred calls, without panics (a panic ends the host
 * goroutine): each fake goroutine's open scopes, innermost first, in its
 * struct g, as the runtime keeps them. */
gort_scope_t *gort_scope_enter_(gort_scope_t *s)
{
	struct g *gp = getg();
	s->ndefer = 0;
	s->more = NULL;
	s->link = gp->scope;
	gp->scope = s;
	return s;
}

void gort_defer(void (*fn)(void *arg), void *arg)
{
	gort_scope_t *s = getg()->scope;
	if (s == NULL || s->ndefer == GORT_SCOPE_DEFERS)
		die("panic", s == NULL ? "gort_defer called outside a gort_scope"
				       : "host stand-in: too many deferred calls");
	s->d[s->ndefer].fn = fn;
	s->d[s->ndefer].arg = arg;
	s->ndefer++;
}

void gort_scope_end(gort_scope_t *s)
{
	while (s->ndefer > 0) {
		s->ndefer--;
		s->d[s->ndefer].fn(s->d[s->ndefer].arg);
	}
	getg()->scope = s->link;
}

static void goroutine_start(void)
{
	SAN_FINISH(NULL, &sched_stack_bottom, &sched_stack_size);
	current->g.fn(current->g.arg);
	current->g.status = G_DEAD;
	current->dead = true;
	park_unlockf = NULL;
	to_scheduler();
}

struct g *host_go(void (*fn)(void *arg), void *arg)
{
	if (nallg == MAX_G)
		throw("sched_host: too many goroutines");
	struct host_g *hg = calloc(1, sizeof *hg);
	hg->stack = malloc(STACK_SIZE);
	hg->g.fn = fn;
	hg->g.arg = arg;
	hg->g.goid = next_goid++;
	hg->g.status = G_RUNNABLE;
	getcontext(&hg->ctx);
	hg->ctx.uc_stack.ss_sp = hg->stack;
	hg->ctx.uc_stack.ss_size = STACK_SIZE;
	hg->ctx.uc_link = NULL;
	makecontext(&hg->ctx, goroutine_start, 0);
	allg[nallg++] = hg;
	runq_put(hg);
	return &hg->g;
}

int host_run(void)
{
	while (nrunq > 0) {
		int i = host_sched_random ? (int)cheaprandn((uint32_t)nrunq) : 0;
		struct host_g *hg = runq[i];
		memmove(&runq[i], &runq[i + 1], (size_t)(nrunq - i - 1) * sizeof runq[0]);
		nrunq--;

		hg->g.status = G_RUNNING;
		current = hg;
		fake_now += 100000;
		void *fake;
		SAN_START(&fake, hg->stack, STACK_SIZE);
		swapcontext(&sched_ctx, &hg->ctx);
		SAN_FINISH(fake, NULL, NULL);
		current = NULL;
		/* The goroutine's context is saved: release its lock. */
		if (park_unlockf != NULL) {
			bool (*f)(struct g *, void *) = park_unlockf;
			park_unlockf = NULL;
			if (!f(&hg->g, park_arg))
				goready(&hg->g);
		}
	}
	int parked = 0;
	for (int i = 0; i < nallg; i++)
		parked += allg[i]->g.status == G_WAITING && !allg[i]->abandoned;
	return parked;
}

void host_reset(void)
{
	int n = 0;
	for (int i = 0; i < nallg; i++) {
		if (allg[i]->dead) {
			free(allg[i]->stack);
			free(allg[i]);
		} else {
			allg[i]->abandoned = true; /* parked forever: keep its stack */
			allg[n++] = allg[i];
		}
	}
	nallg = n;
	nrunq = 0;
	host_panic_msg[0] = '\0';
	host_panic_kind = NULL;
	host_panics = 0;
}

const char *host_waitreason(struct g *gp)
{
	return gp->status == G_WAITING ? gp->waitreason : NULL;
}
