/*
 * The hand-off from the arch's boot code to the machine-independent kernel,
 * and from the kernel to the runtime.
 */
#ifndef GORT_KERNEL_BOOT_H
#define GORT_KERNEL_BOOT_H

#include <stdint.h>

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

/* Called by the arch's interrupt entry after every interrupt, once the
 * handler ran and the interrupt controller was told it ended, with
 * interrupts off and on the interrupted stack (kernel/arch.h, Where traps
 * run). The scheduler may switch goroutines here (preemption). */
void kernel_interrupt_return(void);

/* The runtime's side of kernel_interrupt_return: the preemption point. */
void runtime_interrupt_return(void);

/* The runtime's side of trap_page_fault (kernel/trap.h): true if addr lies
 * in the running goroutine's stack reservation and the pages down to it
 * are now mapped; a fault in the guard page is a stack overflow, reported
 * here (the machine ends). */
struct trapframe;
_Bool runtime_stack_fault(const struct trapframe *tf, uintptr_t addr);

/* The mapped part of the running goroutine's stack, if addr lies in it
 * (for walking a stack from a trap or a fatal error). Interrupts off. */
_Bool runtime_stack_bounds(uintptr_t addr, uintptr_t *lo, uintptr_t *hi);

#endif
