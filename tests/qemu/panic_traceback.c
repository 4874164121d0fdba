/*
 * An unrecovered panic several calls deep, in a goroutine: the deferred
 * call runs first, then Go's report with every frame of the program in
 * Go's format (name, then a tab, file:line and the pc's offset in its
 * function), the inlined call among them without an offset, and where the
 * goroutine was created; exit status 2.
 *
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-order: deferred ran | panic: deep failure 42 | goroutine 2 [running]: | c(...) | b(...) | a(...) | worker(...) | created by main in goroutine 1
 * expect-line: b(...)
 * expect-contains: tests/qemu/panic_traceback.c:
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

static void report(void *arg)
{
	(void)arg;
	printf("deferred ran\n");
}

static NOINLINE void c(int v)
{
	gort_panic("deep failure %d", v);
}

static inline __attribute__((always_inline)) void b(int v)
{
	c(v + 1);
	__asm__ volatile("" ::: "memory");
}

static NOINLINE void a(int v)
{
	b(v + 1);
	__asm__ volatile("" ::: "memory");
}

static NOINLINE void worker(void *arg)
{
	(void)arg;
	gort_scope {
		gort_defer(report, NULL);
		a(40);
	}
	printf("FAIL: the panic returned\n");
}

int main(void)
{
	go(worker, NULL);
	time_Sleep(10 * time_Second);
	printf("FAIL: main outlived the panic\n");
	return 0;
}
