/*
 * Function gort_exit ends the machine at once with its status, from any
 * depth, like os.Exit: atexit handlers do not run.
 *
 * expect-line: exiting 7
 * expect-not-contains: atexit ran
 * expect-not-contains: after exit
 * expect-exit: 7
 */
#include <gort.h>
#include <stdio.h>
#include <stdlib.h>

static void on_exit_handler(void)
{
	printf("atexit ran\n");
}

static void nested(int depth)
{
	if (depth == 0) {
		printf("exiting 7\n");
		gort_exit(7);
	}
	nested(depth - 1);
}

int main(void)
{
	atexit(on_exit_handler);
	nested(5);
	printf("after exit\n");
	return 0;
}
