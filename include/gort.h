/*
 * gort: the Go runtime for bare-metal C programs. Include this one header;
 * it pulls in one header per Go package under gort/. See API.md and the
 * README for the contract: names mirror Go's, so Go's documentation of
 * runtime.X documents runtime_X.
 */
#ifndef GORT_H
#define GORT_H

#include <gort/chan.h>
#include <gort/debug.h>
#include <gort/panic.h>
#include <gort/runtime.h>
#include <gort/sync.h>
#include <gort/time.h>

#endif
