/*
 * What main returns is the exit status of the machine (and of make run).
 *
 * expect-line: returning 1
 * expect-exit: 1
 */
#include <stdio.h>

int main(void)
{
	printf("returning 1\n");
	return 1;
}
