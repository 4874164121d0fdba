/*
 * When QEMU itself fails (here: it cannot allocate 64 TiB of guest RAM),
 * the runner says so, shows QEMU's own message, and exits 125, distinct
 * from any guest status.
 *
 * mem: 64T
 * expect-stderr: gort-run: QEMU failed
 * expect-stderr: cannot set up guest memory
 * expect-exit: 125
 */
int main(void)
{
	return 0;
}
