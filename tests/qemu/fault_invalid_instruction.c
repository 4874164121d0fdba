/*
 * An invalid instruction ends in the exception report (trap name, pc,
 * registers, a backtrace the runner symbolizes) and exit status 2.
 *
 * expect-line: about to execute an invalid instruction
 * x86_64.expect-contains: unexpected exception: invalid opcode (vector 6)
 * aarch64.expect-contains: unexpected exception: undefined instruction
 * riscv64.expect-contains: unexpected exception: illegal instruction (vector 2)
 * x86_64.expect-contains: rip    0x
 * aarch64.expect-contains: x29    0x
 * riscv64.expect-contains: sepc    0x
 * expect-order: backtrace: | execute_invalid_instruction at | fatal error: unexpected exception
 * expect-not-contains: survived
 * expect-exit: 2
 */
#include <stdio.h>

__attribute__((noinline)) static void execute_invalid_instruction(void)
{
#if defined(__x86_64__)
	__asm__ volatile("ud2");
#elif defined(__aarch64__)
	__asm__ volatile("udf #0");
#else
	__asm__ volatile("unimp");
#endif
}

int main(void)
{
	printf("about to execute an invalid instruction\n");
	execute_invalid_instruction();
	printf("survived\n");
	return 0;
}
