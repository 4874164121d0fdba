/*
 * The console: the boot UART, shared by stdio, the runtime's own messages
 * and the host runner's control records.
 *
 * Text goes out byte by byte through arch_console_putc, which polls the
 * UART until it accepts the byte, so nothing written at full speed is lost.
 * Each '\n' is sent as "\r\n" so a serial terminal shows lines; the host
 * runner turns them back into '\n'.
 *
 * Control records are whole lines that start with the byte 0x1E (ASCII
 * record separator) followed by "gort:". The host runner consumes them and
 * never shows them: "gort:boot" marks the start of gort's own output (what
 * came before was firmware), "gort:exit N" announces the exit status. On a
 * plain serial terminal they read as ordinary lines.
 *
 * Each console_write (so each console_printf and record) goes out whole:
 * a lock, taken with interrupts off, keeps other CPUs' output from
 * interleaving with it. The lock is recursive on one CPU, so a trap taken
 * while writing can still report itself.
 *
 * stdio output of goroutines is gathered a line at a time in a
 * console_line each goroutine owns (it may move to another CPU halfway
 * through a printf), so one printf's line is never mixed with another's.
 */
#ifndef GORT_KERNEL_CONSOLE_H
#define GORT_KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Writes n bytes, translating '\n' to "\r\n", in one piece. Safe in
 * trap context. */
void console_write(const char *s, size_t n);

/* Formats into a bounded stack buffer (no heap) and writes the result;
 * output longer than 512 bytes is truncated. Safe in trap context. */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_vprintf(const char *fmt, va_list ap);

/* Writes a control record line: 0x1E, "gort:", the formatted text, "\r\n". */
void console_record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A line of stdio output being gathered for one writer. */
#define CONSOLE_LINE_MAX 120
struct console_line {
	uint16_t len;
	char buf[CONSOLE_LINE_MAX];
};

/* Appends c to line, writing the line out at '\n' or when it is full. */
void console_line_put(struct console_line *line, char c);

/* Writes out what line holds. */
void console_line_flush(struct console_line *line);

/* The running goroutine's console_line (runtime/proc.c), or NULL outside
 * goroutines: stdio then writes straight through. */
struct console_line *runtime_console_line(void);

#endif
