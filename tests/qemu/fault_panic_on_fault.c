/*
 * debug_SetPanicOnFault(true) turns the calling goroutine's fault at a
 * wild address (the fatal "unexpected fault address" otherwise) into a
 * recoverable runtime error panic, and returns the previous setting; a
 * new goroutine starts with it off. Unrecovered, the panic prints the
 * signal line with the wild address; exit status 2.
 *
 * expect-line: previous setting: false
 * expect-line: recovered: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: recovered again: runtime error "runtime error: invalid memory address or nil pointer dereference"
 * expect-line: new goroutine: false
 * expect-order: new goroutine: false | panic: runtime error: invalid memory address or nil pointer dereference | [signal SIGSEGV: segmentation violation code=0x1 addr=0x7fffdead0000 pc=0x | goroutine 1 [running]: | read_wild(...) | main(...)
 * expect-not-contains: unexpected fault address
 * expect-not-contains: FAIL
 * expect-exit: 2
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>

#define WILD_ADDRESS 0x00007fffdead0000ULL

static volatile uint64_t sink;

__attribute__((noinline)) static void read_wild(void *arg)
{
	(void)arg;
	sink = *(volatile uint64_t *)WILD_ADDRESS;
	printf("FAIL: read the wild address\n");
}

static void report(const char *what, const gort_panicval_t *r)
{
	if (r == NULL) {
		printf("FAIL: %s: no panic\n", what);
		return;
	}
	printf("%s: %s \"%s\"\n", what,
	       r->kind == GORT_PANIC_RUNTIME_ERROR ? "runtime error" : "FAIL: wrong kind", r->msg);
}

static void fresh(void *arg)
{
	printf("new goroutine: %s\n", debug_SetPanicOnFault(false) ? "true" : "false");
	sync_WaitGroup_Done(arg);
}

int main(void)
{
	printf("previous setting: %s\n", debug_SetPanicOnFault(true) ? "true" : "false");
	report("recovered", gort_pcall(read_wild, NULL));
	report("recovered again", gort_pcall(read_wild, NULL));
	if (!debug_SetPanicOnFault(true))
		printf("FAIL: the setting did not stick\n");
	sync_WaitGroup wg = {0};
	sync_WaitGroup_Add(&wg, 1);
	go(fresh, &wg);
	sync_WaitGroup_Wait(&wg);
	read_wild(NULL);
	return 0;
}
