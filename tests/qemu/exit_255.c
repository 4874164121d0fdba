/*
 * Function exit(255) from C runs the atexit handlers, then ends the machine
 * with status 255: the largest status the host can see.
 *
 * expect-order: exiting 255 | atexit ran
 * expect-exit: 255
 */
#include <stdio.h>
#include <stdlib.h>

static void on_exit_handler(void)
{
	printf("atexit ran\n");
}

int main(void)
{
	atexit(on_exit_handler);
	printf("exiting 255\n");
	exit(255);
}
