/*
 * runtime.NumCPU: the CPUs that came up at boot.
 */
#include <gort/runtime.h>

#include "kernel/cpu.h"

int runtime_NumCPU(void)
{
	return cpu_online_count();
}
