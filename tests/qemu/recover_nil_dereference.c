/*
 * A fault in a goroutine's code is a runtime error panic like any other:
 * gort_pcall recovers a nil dereference, a nil store and a call through a
 * nil function pointer with Go's message, the goroutine goes on working
 * (a second fault is recovered the same way, in main and in another
 * goroutine), and an integer division by zero is the recoverable "integer
 * divide by zero" where the CPU traps on it (x86_64); aarch64 and riscv64
 * division never traps, so C gives the architecture's result there.
 *
 * variant: smp2 --smp 2
 * expect-line: nil load: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: nil store: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: nil call: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: nil load again: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: goroutine nil load: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: goroutine nil load again: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * x86_64.expect-line: divide: runtime error "runtime error: integer divide by zero"
 * aarch64.expect-line: divide: no trap, 7 / 0 = 0
 * riscv64.expect-line: divide: no trap, 7 / 0 = 18446744073709551615
 * expect-line: still working: 42
 * expect-line: a later panic: "plain" kind 1
 * expect-not-contains: FAIL
 * expect-not-contains: [signal
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))
#define NIL_MSG  "runtime error: invalid memory address or nil pointer dereference"

static uint64_t *volatile nil_word;
static void (*volatile nil_fn)(void);
static volatile uint64_t zero, sink;

static void report(const char *what, const gort_panicval_t *r)
{
	if (r == NULL) {
		printf("FAIL: %s did not panic\n", what);
		return;
	}
	printf("%s: %s \"%s\"\n", what,
	       r->kind == GORT_PANIC_RUNTIME_ERROR ? "runtime error" : "FAIL: wrong kind", r->msg);
}

static NOINLINE void nil_load(void *arg)
{
	(void)arg;
	sink = *nil_word;
	printf("FAIL: loaded\n");
}

static NOINLINE void nil_store(void *arg)
{
	(void)arg;
	nil_word[3] = 1;
	printf("FAIL: stored\n");
}

static NOINLINE void nil_call(void *arg)
{
	(void)arg;
	nil_fn();
	printf("FAIL: called\n");
}

static NOINLINE void divide(void *arg)
{
	(void)arg;
	uint64_t q = 7 / zero;
	printf("divide: no trap, 7 / 0 = %llu\n", (unsigned long long)q);
}

static NOINLINE void plain(void *arg)
{
	(void)arg;
	gort_panic("plain");
}

static void other(void *arg)
{
	report("goroutine nil load", gort_pcall(nil_load, NULL));
	report("goroutine nil load again", gort_pcall(nil_load, NULL));
	sync_WaitGroup_Done(arg);
}

int main(void)
{
	report("nil load", gort_pcall(nil_load, NULL));
	report("nil store", gort_pcall(nil_store, NULL));
	report("nil call", gort_pcall(nil_call, NULL));
	report("nil load again", gort_pcall(nil_load, NULL));
	const gort_panicval_t *r = gort_pcall(divide, NULL);
	if (r != NULL)
		report("divide", r);

	sync_WaitGroup wg = {0};
	sync_WaitGroup_Add(&wg, 1);
	go(other, &wg);
	sync_WaitGroup_Wait(&wg);

	volatile uint64_t total = 0;
	for (int i = 0; i < 42; i++)
		total += 1;
	printf("still working: %llu\n", (unsigned long long)total);
	r = gort_pcall(plain, NULL);
	printf("a later panic: \"%s\" kind %d\n", r != NULL ? r->msg : "FAIL",
	       r != NULL ? (int)r->kind : -1);
	return 0;
}
