/*
 * make_exit: a GNU make plugin (loaded with `load`) that lets `make run`
 * exit with the guest's status. make itself can only exit 0, 1 or 2 (any
 * failed recipe is 2), but the contract is that `make run` exits with what
 * main returned. The run recipe records the runner's status in a file; the
 * next recipe line expands $(gort-exit STATUS), which ends make with that
 * status (after stdio is flushed). Statuses outside 0..255, or text that is
 * not a number, end make with 2, make's own "error" status.
 */
#include <gnumake.h>
#include <stdio.h>
#include <stdlib.h>

int plugin_is_GPL_compatible;

static char *gort_exit(const char *name, unsigned int argc, char **argv)
{
	(void)name;
	(void)argc;
	char *end;
	long status = strtol(argv[0], &end, 10);
	if (end == argv[0] || (*end != '\0' && *end != '\n') || status < 0 || status > 255)
		status = 2;
	fflush(NULL);
	exit((int)status);
}

int make_exit_gmk_setup(const gmk_floc *floc)
{
	(void)floc;
	gmk_add_function("gort-exit", gort_exit, 1, 1, GMK_FUNC_DEFAULT);
	return 1;
}
