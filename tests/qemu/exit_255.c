/*
 * Function exit(255) from C runs the atexit handlers and then the
 * destructors, and ends the machine with status 255: the largest status the
 * host can see. Constructors ran before main.
 *
 * expect-order: constructor ran | exiting 255 | atexit ran | destructor ran
 * expect-exit: 255
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((constructor)) static void constructor(void)
{
	printf("constructor ran\n");
}

__attribute__((destructor)) static void destructor(void)
{
	printf("destructor ran\n");
}

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
