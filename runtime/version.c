/*
 * runtime.GOOS, GOARCH, Compiler and Version. GOARCH comes from the arch's
 * archdefs.h so this file names no arch.
 */
#include <gort/runtime.h>

#include <archdefs.h>

#define GORT_VERSION "gort0.1"

const char runtime_GOOS[] = "gort";
const char runtime_GOARCH[] = ARCH_GOARCH;
const char runtime_Compiler[] = "gcc";

const char *runtime_Version(void)
{
	return GORT_VERSION;
}
