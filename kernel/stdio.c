/*
 * picolibc's stdio on the console. stdout and stderr are one stream over
 * the console, unbuffered except that a goroutine's output is gathered a
 * line at a time (console.h), so lines printed by goroutines on different
 * CPUs never mix; a partial line goes out when its goroutine blocks or
 * exits. stdin reads as end-of-file until a console input driver exists.
 *
 * _exit is picolibc's last step of exit(): it writes out the running
 * goroutine's partial line and ends the machine.
 */
#include <stdio.h>
#include <unistd.h>

#include "kernel/console.h"
#include "kernel/exit.h"

/* A goroutine's output goes through its own console_line (a line at a
 * time, see console.h); anything else (the scheduler, interrupt handlers,
 * code running with interrupts off) writes straight through. */
static int console_put(char c, FILE *f)
{
	(void)f;
	struct console_line *line = runtime_console_line();
	if (line != NULL)
		console_line_put(line, c);
	else
		console_write(&c, 1);
	return (unsigned char)c;
}

static int console_get(FILE *f)
{
	(void)f;
	return _FDEV_EOF;
}

static FILE console_stream = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;

void _exit(int code)
{
	struct console_line *line = runtime_console_line();
	if (line != NULL)
		console_line_flush(line);
	machine_exit(code);
}
