/*
 * A load from an unmapped address ends in the exception report with the
 * faulting address, and exit status 2. The raw Image variants are
 * symbolized from the ELF beside them.
 *
 * x86_64.expect-contains: unexpected exception: page fault (vector 14)
 * aarch64.expect-contains: unexpected exception: data abort
 * riscv64.expect-contains: unexpected exception: load page fault (vector 13)
 * expect-contains: addr=0x7fffdead0000
 * expect-order: backtrace: | read_wild at | fatal error: unexpected exception
 * expect-not-contains: survived
 * expect-exit: 2
 * aarch64.variant: image --raw-image
 * riscv64.variant: image --raw-image
 */
#include <stdint.h>
#include <stdio.h>

#define WILD_ADDRESS 0x00007fffdead0000ULL

__attribute__((noinline)) static uint64_t read_wild(void)
{
	return *(volatile uint64_t *)WILD_ADDRESS;
}

int main(void)
{
	printf("read %llu\n", (unsigned long long)read_wild());
	printf("survived\n");
	return 0;
}
