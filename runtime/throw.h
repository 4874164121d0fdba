/*
 * throw: the runtime's response to a broken invariant or a fatal
 * configuration error, as in Go. Prints "fatal error: <msg>", the runtime
 * stack, and exits with status 2. Never returns, never recovers.
 */
#ifndef GORT_RUNTIME_THROW_H
#define GORT_RUNTIME_THROW_H

_Noreturn void throw(const char *msg);

#endif
