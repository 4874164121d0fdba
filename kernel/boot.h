/*
 * The hand-off from the arch's boot code to the machine-independent kernel,
 * and from the kernel to the runtime.
 */
#ifndef GORT_KERNEL_BOOT_H
#define GORT_KERNEL_BOOT_H

/* Called by the arch's boot code as soon as arch_console_putc works, before
 * it prints anything: marks the start of gort's output for the host runner
 * (whatever came before was firmware). */
void kernel_console_ready(void);

/* Called once by the arch's boot code on the boot CPU, on the boot stack,
 * with the MMU on, trap vectors installed and the memory map recorded.
 * cmdline is the boot command line as the loader gave it (NULL if none);
 * it is copied before anything else can overwrite it. */
_Noreturn void kernel_main(const char *cmdline);

/* The runtime's entry, called by kernel_main once the machine services are
 * up: env is the NULL-terminated environment from the command line, args
 * the NULL-terminated words after "--". Runs the program and exits. */
_Noreturn void runtime_start(char **env, char **args, int nargs);

struct cpu;

/* Where a secondary CPU goes once arch_cpu_init has run on it: it marks
 * itself online and idles. Interrupts off, on c->stack_top. */
_Noreturn void kernel_secondary_main(struct cpu *c);

/* Entry points of the arch's interrupt code, called in interrupt context
 * with interrupts off: this CPU's timer fired, the kernel IPI arrived, a
 * device interrupt line fired. */
void kernel_timer_interrupt(void);
void kernel_ipi(void);
void kernel_irq(unsigned irq);

#endif
