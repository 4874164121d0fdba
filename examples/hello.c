/*
 * The default application (`make run`): says hello from the runtime, shows
 * its arguments and the settings it booted with. Copy it to start your own.
 *
 *   make run CMDLINE='GOGC=50 -- alpha beta'
 */
#include <gort.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from gort on %s/%s (%s)\n", runtime_GOOS, runtime_GOARCH, runtime_Version());
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	int gogc = debug_SetGCPercent(100);
	debug_SetGCPercent(gogc);
	printf("GOGC=%d\n", gogc);
	return 0;
}
