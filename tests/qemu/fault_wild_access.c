/*
 * A load from an unmapped address outside the first page is no nil
 * dereference. As in Go, it is the fatal error "unexpected fault address"
 * (never recovered, no deferred call runs), with the signal line and the
 * goroutine's traceback from the faulting function, and exit status 2.
 * The raw Image variants carry the same symbol table.
 *
 * expect-line: unexpected fault address 0x7fffdead0000
 * expect-order: unexpected fault address 0x7fffdead0000 | fatal error: fault | [signal SIGSEGV: segmentation violation code=0x1 addr=0x7fffdead0000 pc=0x | goroutine 1 [running]: | read_wild(...)
 * expect-contains: tests/qemu/fault_wild_access.c:32 +0x
 * expect-not-contains: panic:
 * expect-not-contains: survived
 * expect-not-contains: FAIL
 * expect-exit: 2
 * aarch64.variant: image --raw-image
 * riscv64.variant: image --raw-image
 */
#include <gort.h>
#include <stdint.h>
#include <stdio.h>

#define WILD_ADDRESS 0x00007fffdead0000ULL

static void never(void *arg)
{
	(void)arg;
	printf("FAIL: a fatal error ran a deferred call\n");
}

__attribute__((noinline)) static uint64_t read_wild(void)
{
	return *(volatile uint64_t *)WILD_ADDRESS;
}

int main(void)
{
	gort_scope {
		gort_defer(never, NULL);
		printf("read %llu\n", (unsigned long long)read_wild());
	}
	printf("survived\n");
	return 0;
}
