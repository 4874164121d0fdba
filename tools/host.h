/*
 * What every host tool shares: ending with a one-line message, and memory
 * allocation that never returns NULL. A tool names itself and the status
 * it fails with once, at the start of main (host_init); the library files
 * a tool links (run_qemu.c, test_directives.c) then fail the same way as
 * the tool they are part of. Without host_init, "gort" and status 1.
 */
#ifndef GORT_TOOLS_HOST_H
#define GORT_TOOLS_HOST_H

#include <stddef.h>

void host_init(const char *prog, int fail_status);

/* Prints "<prog>: <message>" to stderr and exits with the failure status. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xrealloc(void *p, size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
