/*
 * ACCEL=tcg forces QEMU's TCG emulator, whatever the machine offers.
 *
 * arches: x86_64
 * runner-args: --accel tcg --verbose
 * expect-line: accelerator test ran
 * expect-stderr: gort-run: accel tcg (forced)
 * expect-stderr: -accel tcg
 */
#include <stdio.h>

int main(void)
{
	printf("accelerator test ran\n");
	return 0;
}
