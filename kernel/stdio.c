/*
 * picolibc's stdio on the console. stdout and stderr are one unbuffered
 * stream over console_write, so printf output is on the wire when printf
 * returns and interleaves with the runtime's own messages in program
 * order. stdin reads as end-of-file until a console input driver exists.
 *
 * _exit is picolibc's last step of exit(): it ends the machine.
 */
#include <stdio.h>
#include <unistd.h>

#include "kernel/console.h"
#include "kernel/exit.h"

static int console_put(char c, FILE *f)
{
	(void)f;
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
	machine_exit(code);
}
