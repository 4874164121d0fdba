/*
 * Console output over the arch's UART; see console.h for the line and
 * control-record conventions.
 */
#include "kernel/console.h"

#include <stdio.h>

#include "kernel/arch.h"

#define CONSOLE_FORMAT_MAX 512
#define RECORD_SEPARATOR   0x1e

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc((unsigned char)s[i]);
	}
}

void console_vprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_FORMAT_MAX];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	console_write(buf, (size_t)n);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}

void console_record(const char *fmt, ...)
{
	va_list ap;
	arch_console_putc(RECORD_SEPARATOR);
	console_write("gort:", 5);
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_write("\n", 1);
}
