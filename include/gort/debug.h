/*
 * Package runtime/debug, in C.
 */
#ifndef GORT_DEBUG_H
#define GORT_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

/* Sets the garbage collection target percentage (GOGC) and returns the
 * previous setting; a negative percentage disables collection. */
int debug_SetGCPercent(int percent);

/* Sets the soft memory limit (GOMEMLIMIT) in bytes and returns the previous
 * limit; a negative limit only reads the current one. INT64_MAX means no
 * limit. */
int64_t debug_SetMemoryLimit(int64_t limit);

/* Sets the stack reservation of goroutines created after the call, in
 * bytes (rounded up to pages, at least 16 KiB, at most 1 GiB), and returns
 * the previous setting. A goroutine's stack can never exceed its
 * reservation (stacks do not move): going past it is the fatal error
 * "stack overflow". The default is 256 KiB, or the boot parameter
 * gort.maxstack=; main's stack is 64 MiB. */
int debug_SetMaxStack(int bytes);

/* debug.SetTraceback: how much an unrecovered panic or fatal error
 * prints, with GOTRACEBACK's values ("none", "single", "all", "system",
 * "crash"); never less than the GOTRACEBACK boot parameter asked for. */
void debug_SetTraceback(const char *level);

/* debug.SetPanicOnFault: whether a fault of the calling goroutine at an
 * address outside the first page (a wild pointer, a write to read-only
 * memory) is a recoverable panic, "runtime error: invalid memory address
 * or nil pointer dereference", rather than the fatal error "unexpected
 * fault address" it is by default. Faults below 0x1000 (nil pointers)
 * panic either way. Per goroutine, off in a new one; returns the previous
 * setting. Go's changes only faults in memory-mapped files, which gort
 * does not have, so it applies to every address here. */
bool debug_SetPanicOnFault(bool enabled);

/* debug.Stack: the calling goroutine's traceback in Go's format, as a
 * NUL-terminated string on the heap. */
char *debug_Stack(void);

/* debug.PrintStack: prints that traceback to the console. */
void debug_PrintStack(void);

#endif
