/*
 * throw is Go's name for the runtime's fatal error; the report itself is
 * the kernel's (kernel/fatal.c), so kernel code and runtime code fail the
 * same way.
 */
#include "runtime/throw.h"

#include "kernel/fatal.h"

_Noreturn void throw(const char *msg)
{
	fatal(msg);
}
