/*
 * A guest that never exits is stopped by the runner's timeout: status 124,
 * as timeout(1) gives, with a message on stderr.
 *
 * timeout: 3
 * expect-line: spinning forever
 * expect-stderr: timed out
 * expect-exit: 124
 */
#include <stdio.h>

int main(void)
{
	printf("spinning forever\n");
	for (;;)
		__asm__ volatile("");
}
