/*
 * ACCEL=kvm forces KVM even where the runner's measurement would pick TCG.
 * Where KVM runs guests (hardware virtualization) the guest runs and
 * exits 0. The nested KVM this project is developed on emulates guest
 * instructions and stops at the first SSE instruction with a "KVM internal
 * error"; QEMU then pauses the guest forever, so the runner must notice,
 * stop it and exit 125 at once instead of waiting for the timeout. Either
 * way the run must have been made under KVM and end promptly.
 *
 * arches: x86_64
 * timeout: 120
 * runner-args: --accel kvm --verbose
 * expect-stderr: gort-run: accel kvm (forced)
 * expect-stderr: -accel kvm
 * expect-exit: 0 125
 */
#include <stdio.h>

int main(void)
{
	printf("accelerator test ran\n");
	return 0;
}
