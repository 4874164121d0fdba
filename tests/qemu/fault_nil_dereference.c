/*
 * Page 0 is unmapped once boot is done, so a nil dereference (here a
 * field at offset 8 of a NULL struct pointer) faults instead of reading
 * whatever the firmware left there.
 *
 * x86_64.expect-contains: unexpected exception: page fault (vector 14)
 * aarch64.expect-contains: unexpected exception: data abort
 * riscv64.expect-contains: unexpected exception: load page fault (vector 13)
 * expect-contains: addr=0x8
 * expect-order: backtrace: | read_field at | fatal error: unexpected exception
 * expect-exit: 2
 */
#include <stdint.h>
#include <stdio.h>

struct pair {
	uint64_t first, second;
};

__attribute__((noinline)) static uint64_t read_field(volatile struct pair *p)
{
	return p->second;
}

int main(void)
{
	volatile struct pair *nil = NULL;
	__asm__ volatile("" : "+r"(nil));
	printf("read %llu\n", (unsigned long long)read_field(nil));
	return 0;
}
