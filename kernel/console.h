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
 * There is one CPU running until SMP bring-up, and the console has no lock
 * yet; the SMP work adds one (taken with interrupts off).
 */
#ifndef GORT_KERNEL_CONSOLE_H
#define GORT_KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/* Writes n bytes, translating '\n' to "\r\n". Safe in trap context. */
void console_write(const char *s, size_t n);

/* Formats into a bounded stack buffer (no heap) and writes the result;
 * output longer than 512 bytes is truncated. Safe in trap context. */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_vprintf(const char *fmt, va_list ap);

/* Writes a control record line: 0x1E, "gort:", the formatted text, "\r\n". */
void console_record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
