/*
 * A nil dereference several calls deep in a goroutine is Go's panic at
 * the faulting instruction: the goroutine's deferred call runs first,
 * then the runtime error, the signal line, and a traceback that starts at
 * the faulting function (at the faulting line) and names every caller up
 * to the go statement; exit status 2.
 *
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-order: deferred ran | panic: runtime error: invalid memory address or nil pointer dereference | [signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x | goroutine 2 [running]: | load_count(...) | middle(...) | outer(...) | worker(...) | created by main in goroutine 1
 * expect-order: load_count(...) | tests/qemu/fault_nil_goroutine.c:37 +0x | middle(...) | tests/qemu/fault_nil_goroutine.c:44 +0x
 * expect-not-contains: unexpected exception
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

struct counter {
	uint64_t pad[2];
	uint64_t count;
};

static volatile uint64_t sink;

static void report(void *arg)
{
	(void)arg;
	printf("deferred ran\n");
}

/* Not a leaf: its frame record stays in place around the load. */
static NOINLINE void load_count(struct counter *c)
{
	uint64_t n = *(volatile uint64_t *)&c->count;
	sink = n;
	printf("FAIL: loaded %llu\n", (unsigned long long)n);
}

static NOINLINE void middle(struct counter *c)
{
	load_count(c);
	__asm__ volatile("" ::: "memory");
}

static NOINLINE void outer(struct counter *c)
{
	middle(c);
	__asm__ volatile("" ::: "memory");
}

static NOINLINE void worker(void *arg)
{
	gort_scope {
		gort_defer(report, NULL);
		outer(arg);
	}
	printf("FAIL: the panic returned\n");
}

int main(void)
{
	struct counter *nil = NULL;
	__asm__ volatile("" : "+r"(nil));
	go(worker, nil);
	time_Sleep(10 * time_Second);
	printf("FAIL: main outlived the panic\n");
	return 0;
}
