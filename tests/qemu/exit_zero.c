/*
 * A main that returns 0 exits with status 0 (on x86_64 the exit device
 * cannot say 0 by itself: the runner reads the console's exit record).
 *
 * expect-line: done
 * expect-exit: 0
 * x86_64.variant: microvm --machine microvm
 */
#include <stdio.h>

int main(void)
{
	puts("done");
	return 0;
}
