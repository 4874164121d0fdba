/*
 * machine_exit: announce the status on the console, then hand it to the
 * arch's exit device. See exit.h.
 */
#include "kernel/exit.h"

#include "kernel/arch.h"
#include "kernel/console.h"

_Noreturn void machine_exit(int code)
{
	code &= 0xff;
	console_record("exit %d", code);
	arch_exit(code);
}
