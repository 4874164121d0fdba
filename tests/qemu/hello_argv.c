/*
 * The words after "--" on the boot command line become argv, argv[0] is
 * the application's name, and NAME=value words before "--" are the
 * environment. Variants boot the same program as a raw Image (the form
 * U-Boot's booti loads, with the device tree in x0/a1), on x86_64's microvm,
 * and on aarch64 entered at EL2.
 *
 * cmdline: GREETING=hello -- alpha "beta gamma" delta
 * expect-line: argc=4
 * expect-line: argv[0]=hello_argv
 * expect-line: argv[1]=alpha
 * expect-line: argv[2]=beta gamma
 * expect-line: argv[3]=delta
 * expect-line: GREETING=hello
 * expect-line: GOOS=gort
 * x86_64.expect-line: GOARCH=amd64
 * aarch64.expect-line: GOARCH=arm64
 * riscv64.expect-line: GOARCH=riscv64
 * x86_64.variant: microvm --machine microvm
 * aarch64.variant: image --raw-image
 * riscv64.variant: image --raw-image
 * aarch64.variant: el2 --machine virt,virtualization=on
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("GREETING=%s\n", getenv("GREETING"));
	printf("GOOS=%s\nGOARCH=%s\n", runtime_GOOS, runtime_GOARCH);
	return 0;
}
