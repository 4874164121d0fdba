/*
 * Package runtime/debug, in C.
 */
#ifndef GORT_DEBUG_H
#define GORT_DEBUG_H

#include <stdint.h>

/* Sets the garbage collection target percentage (GOGC) and returns the
 * previous setting; a negative percentage disables collection. */
int debug_SetGCPercent(int percent);

/* Sets the soft memory limit (GOMEMLIMIT) in bytes and returns the previous
 * limit; a negative limit only reads the current one. INT64_MAX means no
 * limit. */
int64_t debug_SetMemoryLimit(int64_t limit);

#endif
