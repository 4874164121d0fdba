/*
 * Console output over the arch's UART; see console.h for the line and
 * control-record conventions.
 */
#include "kernel/console.h"

#include <stdio.h>

#include "kernel/arch.h"
#include "kernel/cpu.h"

#define CONSOLE_FORMAT_MAX 512
#define RECORD_SEPARATOR   0x1e

/* The console lock: the id + 1 of the CPU writing (0: none) and how deep
 * its writes nest (a trap while writing). Interrupts off while held. */
static int console_owner;
static int console_depth;

void console_write(const char *s, size_t n)
{
	unsigned long flags = arch_irq_save();
	const struct cpu *c = this_cpu();
	int me = c != NULL ? c->id + 1 : 1;
	if (__atomic_load_n(&console_owner, __ATOMIC_ACQUIRE) != me) {
		int free = 0;
		while (!__atomic_compare_exchange_n(&console_owner, &free, me, false,
						    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			free = 0;
			arch_cpu_relax();
		}
	}
	console_depth++;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc((unsigned char)s[i]);
	}
	if (--console_depth == 0)
		__atomic_store_n(&console_owner, 0, __ATOMIC_RELEASE);
	arch_irq_restore(flags);
}

void console_line_flush(struct console_line *line)
{
	if (line->len != 0)
		console_write(line->buf, line->len);
	line->len = 0;
}

void console_line_put(struct console_line *line, char c)
{
	line->buf[line->len++] = c;
	if (c == '\n' || line->len == CONSOLE_LINE_MAX)
		console_line_flush(line);
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
