/*
 * On x86_64 an integer division by zero traps (#DE), and the trap is
 * Go's panic "integer divide by zero" with Go's SIGFPE line (code 0x1,
 * FPE_INTDIV; the address is the faulting instruction's, as Linux
 * reports it), then the traceback from the dividing function; exit
 * status 2. aarch64 and riscv64 division never traps (the recover test
 * checks their results), so this test runs on x86_64 alone.
 *
 * arches: x86_64
 * expect-line: panic: runtime error: integer divide by zero
 * expect-order: panic: runtime error: integer divide by zero | [signal SIGFPE: floating-point exception code=0x1 addr=0x | goroutine 1 [running]: | ratio(...) | main(...)
 * expect-contains: tests/qemu/fault_divide_by_zero.c:24 +0x
 * expect-not-contains: FAIL
 * expect-exit: 2
 */
#include <stdint.h>
#include <stdio.h>

static volatile int64_t divisor;

/* Not a leaf: its frame record stays in place around the division. */
__attribute__((noinline)) static int64_t ratio(int64_t a)
{
	int64_t q = a / divisor;
	printf("FAIL: %lld / 0 = %lld\n", (long long)a, (long long)q);
	return q;
}

int main(void)
{
	ratio(7);
	printf("FAIL: survived\n");
	return 0;
}
