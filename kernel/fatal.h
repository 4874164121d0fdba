/*
 * fatal: the end of the machine on a broken invariant, in Go's format:
 * "fatal error: <msg>", the stack of the CPU that failed, exit status 2.
 * Kernel code calls it directly; the runtime calls it through throw (Go's
 * name, runtime/throw.h).
 */
#ifndef GORT_KERNEL_FATAL_H
#define GORT_KERNEL_FATAL_H

_Noreturn void fatal(const char *msg);

#endif
