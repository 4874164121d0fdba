/*
 * Each accelerator can be forced: ACCEL=tcg always works; ACCEL=kvm runs
 * the x86_64 guest under KVM even where the runner's measurement would
 * pick TCG (KVM here emulates guest code slowly, but correctly).
 *
 * arches: x86_64
 * timeout: 300
 * runner-args: --verbose
 * variant: tcg --accel tcg
 * variant: kvm --accel kvm
 * expect-line: accelerator test ran
 * expect-stderr: accel
 */
#include <stdio.h>

int main(void)
{
	printf("accelerator test ran\n");
	return 0;
}
