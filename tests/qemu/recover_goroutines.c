/*
 * gort_pcall works on every goroutine, and nests: an inner protected call
 * recovers its own panic and the outer one goes on, to recover a later
 * panic of its own; a protected call inside a deferred call run by a panic
 * recovers only its own panic, and the outer panic goes on to the outer
 * protected call. gort_pcall returns NULL when fn returns, and gives back
 * the very value a program made and panicked with. Many
 * goroutines panicking and recovering at once on every CPU each get their
 * own values back.
 *
 * variant: smp2 --smp 2
 * variant: smp4 --smp 4
 * expect-line: goroutine: recovered "from a goroutine" on goroutine 2
 * expect-line: nested: inner recovered "inner", outer recovered "outer"
 * expect-line: in a deferred call: inner recovered "deferred", outer recovered "outer panic"
 * expect-line: no panic: NULL, fn ran
 * expect-line: program value: the same pointer back, payload 99, message "custom"
 * expect-line: concurrent: 8 goroutines x 200 recoveries, all values right
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

static chan_t *done;

static void panics(void *arg)
{
	gort_panic("%s", (const char *)arg);
}

static void on_goroutine(void *arg)
{
	(void)arg;
	const gort_panicval_t *r = gort_pcall(panics, "from a goroutine");
	printf("goroutine: recovered \"%s\" on goroutine %d\n", r != NULL ? r->msg : "FAIL",
	       runtime_NumGoroutine());
	chan_send(done, NULL);
}

static const gort_panicval_t *inner_result;

static void outer_fn(void *arg)
{
	(void)arg;
	inner_result = gort_pcall(panics, "inner");
	gort_panic("outer");
}

static const gort_panicval_t *deferred_inner;

static void deferred_pcall(void *arg)
{
	(void)arg;
	deferred_inner = gort_pcall(panics, "deferred");
}

static void panics_with_deferred_pcall(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(deferred_pcall, NULL);
		gort_panic("outer panic");
	}
}

static volatile bool ran;

static void returns(void *arg)
{
	(void)arg;
	ran = true;
}

static int payload = 99;
static const gort_panicval_t custom = {
    .kind = GORT_PANIC_VALUE, .msg = "custom", .value = &payload};

static void panics_with_custom(void *arg)
{
	(void)arg;
	gort_panic_value(&custom);
}

#define WORKERS 8
#define ROUNDS  200

static void numbered(void *arg)
{
	gort_panic("%ld", (long)arg);
}

static void worker(void *arg)
{
	long id = (long)arg;
	bool ok = true;
	for (long i = 0; i < ROUNDS; i++) {
		long want = id * 1000 + i;
		char buf[32];
		snprintf(buf, sizeof buf, "%ld", want);
		const gort_panicval_t *r = gort_pcall(numbered, (void *)want);
		if (r == NULL || strcmp(r->msg, buf) != 0)
			ok = false;
		if (i % 16 == 0)
			runtime_Gosched();
	}
	chan_send(done, &ok);
}

int main(void)
{
	done = chan_make(sizeof(bool), 0);
	go(on_goroutine, NULL);
	chan_recv(done, NULL);

	const gort_panicval_t *outer = gort_pcall(outer_fn, NULL);
	printf("nested: inner recovered \"%s\", outer recovered \"%s\"\n",
	       inner_result != NULL ? inner_result->msg : "FAIL",
	       outer != NULL ? outer->msg : "FAIL");

	outer = gort_pcall(panics_with_deferred_pcall, NULL);
	printf("in a deferred call: inner recovered \"%s\", outer recovered \"%s\"\n",
	       deferred_inner != NULL ? deferred_inner->msg : "FAIL",
	       outer != NULL ? outer->msg : "FAIL");

	const gort_panicval_t *none = gort_pcall(returns, NULL);
	printf("no panic: %s, fn %s\n", none == NULL ? "NULL" : "FAIL", ran ? "ran" : "FAIL");

	const gort_panicval_t *v = gort_pcall(panics_with_custom, NULL);
	if (v == &custom)
		printf("program value: the same pointer back, payload %d, message \"%s\"\n",
		       *(int *)v->value, v->msg);
	else
		printf("FAIL: program value not returned\n");

	for (long id = 0; id < WORKERS; id++)
		go(worker, (void *)id);
	bool all = true, ok;
	for (int i = 0; i < WORKERS; i++) {
		chan_recv(done, &ok);
		all = all && ok;
	}
	printf("concurrent: %d goroutines x %d recoveries, %s\n", WORKERS, ROUNDS,
	       all ? "all values right" : "FAIL: a wrong value");
	return 0;
}
