/*
 * Page 0 is unmapped once boot is done, so a nil dereference (here a
 * field at offset 8 of a NULL struct pointer) faults instead of reading
 * whatever the firmware left there, and the fault is Go's panic: the
 * runtime error, the signal line with the faulting address, then main's
 * traceback starting at the faulting function; exit status 2.
 *
 * expect-line: panic: runtime error: invalid memory address or nil pointer dereference
 * expect-contains: [signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x
 * expect-order: panic: runtime error: | [signal SIGSEGV | goroutine 1 [running]: | read_field(...)
 * expect-contains: tests/qemu/fault_nil_dereference.c:25 +0x
 * expect-not-contains: unexpected exception
 * expect-not-contains: read 0
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
