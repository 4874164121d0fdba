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

__attribute__((noinline)) static void deeper(void)
{
	printf("exiting 7\n");
	gort_exit(7);
}

__attribute__((noinline)) static void nested(void)
{
	deeper();
	printf("after exit\n");
}

int main(void)
{
	atexit(on_exit_handler);
	nested();
	printf("after exit\n");
	return 0;
}
