/*
 * kernel_main: from "the arch has booted" to "the runtime runs main".
 *
 * It copies and splits the command line, reports words it cannot use,
 * starts the clock, the page allocator and the address space, then every
 * other CPU, and starts the runtime. kernel_console_ready, called earlier
 * by the arch's boot code, marks the start of gort's output for the host
 * runner.
 */
#include "kernel/boot.h"

#include <string.h>

#include "kernel/arch.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/console.h"
#include "kernel/pagealloc.h"
#include "kernel/vm.h"

static char cmdline_buf[CMDLINE_MAX_BYTES];
static struct cmdline cmdline;

void kernel_console_ready(void)
{
	console_record("boot");
}

_Noreturn void kernel_main(const char *raw)
{
	size_t len = raw != NULL ? strnlen(raw, sizeof cmdline_buf) : 0;
	if (len == sizeof cmdline_buf) {
		console_printf(
		    "gort: boot command line longer than %d bytes; the rest is ignored\n",
		    CMDLINE_MAX_BYTES - 1);
		len--;
	}
	memcpy(cmdline_buf, raw != NULL ? raw : "", len);
	cmdline_buf[len] = '\0';
	cmdline_split(cmdline_buf, &cmdline);
	for (int i = 0; i < cmdline.nignored; i++)
		console_printf("gort: ignoring boot parameter '%s': not NAME=value "
			       "(program arguments go after --)\n",
			       cmdline.ignored[i]);
	if (cmdline.unterminated_quote)
		console_printf("gort: boot command line has an unterminated quote\n");
	if (cmdline.too_many_words)
		console_printf(
		    "gort: boot command line has more than %d words; the rest is ignored\n",
		    CMDLINE_MAX_WORDS);
	clock_init();
	pagealloc_init();
	vm_init();
	smp_start();
	arch_irq_enable();
	runtime_start(cmdline.env, cmdline.args, cmdline.nargs);
}
