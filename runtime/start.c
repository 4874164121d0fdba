/*
 * runtime_start: the runtime's half of boot. It installs the environment
 * (getenv sees the command line's NAME=value words), reads the settings
 * table from it, sets up the heap (mallocinit), builds argv (argv[0] is
 * the application's name) and starts the scheduler with the main
 * goroutine (goroutine 1), which runs the C constructors (Go runs package
 * init in the main goroutine too) and then main; main's return value is
 * the exit status, through exit() so stdio handlers run as in a hosted C
 * program, whatever other goroutines are doing. gort_exit is os.Exit: no
 * handlers.
 */
#include <stdio.h>
#include <stdlib.h>

#include <gort/runtime.h>

#include "kernel/boot.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/memmap.h"
#include "runtime/malloc.h"
#include "runtime/proc.h"
#include "runtime/settings.h"

#include <archdefs.h>

#define MAX_ARGS 130

extern char **environ;
extern const char gort_app_name[];
extern int main(int argc, char **argv);
extern void __libc_init_array(void);

static char *argv[MAX_ARGS + 1];
static int argc;

static _Noreturn void main_goroutine(void *arg)
{
	(void)arg;
	__libc_init_array();
	exit(main(argc, argv));
}

_Noreturn void runtime_start(char **env, char **args, int nargs)
{
	environ = env;
	settings_init();
	mallocinit();
	if (settings.verbose) {
		printf("gort: %s on %s, GOOS=gort GOARCH=%s\n", gort_app_name, ARCH_MACHINE,
		       ARCH_GOARCH);
		for (char **e = env; *e != NULL; e++)
			printf("gort: env %s\n", *e);
		memmap_print();
	}
	argv[argc++] = (char *)gort_app_name;
	for (int i = 0; i < nargs && argc < MAX_ARGS; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	schedinit(main_goroutine, NULL);
}

_Noreturn void gort_exit(int code)
{
	struct console_line *line = runtime_console_line();
	if (line != NULL)
		console_line_flush(line);
	machine_exit(code);
}
