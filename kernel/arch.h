/*
 * The interface every arch/<arch>/ folder implements, and the only way
 * kernel/ and runtime/ reach the hardware.
 *
 * Boot order: the arch's entry code (boot/<arch>/) runs with a boot stack,
 * turns the MMU on with an identity map, installs its trap vectors, tells
 * kernel/ what it found (memory map, command line, device tree) and calls
 * kernel_main(). From then on kernel/ calls only the functions below.
 *
 * A fifth arch is a new arch/<arch>/ and boot/<arch>/ pair implementing this
 * header plus arch/<arch>/archdefs.h (constants and inline helpers); nothing
 * in kernel/ or runtime/ changes.
 */
#ifndef GORT_KERNEL_ARCH_H
#define GORT_KERNEL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <archdefs.h>

struct trapframe;

/* The console UART: write one byte, waiting while the transmitter is full.
 * Safe to call from any context, including trap handlers. */
void arch_console_putc(uint8_t c);

/* Ends the machine with exit status code (0..255) as seen by the host:
 * isa-debug-exit, semihosting or the sifive_test finisher. Never returns. */
_Noreturn void arch_exit(int code);

/* Stops this CPU for good (interrupts off, halt in a loop). */
_Noreturn void arch_halt(void);

/* Prints the registers saved in a trap frame, one per line, to the console. */
void arch_trap_print_registers(const struct trapframe *tf);

/* The interrupted program counter and frame pointer of a trap frame. */
uintptr_t arch_trap_pc(const struct trapframe *tf);
uintptr_t arch_trap_fp(const struct trapframe *tf);

/* ---- CPUs (see kernel/cpu.h) ----------------------------------------- */

struct cpu;

/* Fills hwids with the hardware ids (x86 APIC id, aarch64 MPIDR affinity,
 * riscv hart id) of every CPU the firmware describes (ACPI MADT, device
 * tree /cpus), the boot CPU's first, and returns how many (at most max).
 * Called once on the boot CPU. */
int arch_cpu_enumerate(uint64_t *hwids, int max);

/* Runs on CPU c itself, interrupts off, before it does anything else: makes
 * arch_this_cpu() return c, installs this CPU's trap vectors, interrupt
 * stack and local interrupt controller, and makes IPIs and the timer
 * deliverable (they are taken once interrupts are enabled). */
void arch_cpu_init(struct cpu *c);

/* Called on the boot CPU: starts CPU c (c->hwid, c->stack_top filled in),
 * which switches to c->stack_top with the kernel's page tables, calls
 * arch_cpu_init(c) and then kernel_secondary_main(c) (kernel/boot.h).
 * Returns false if the firmware refused to start it. */
bool arch_cpu_start(struct cpu *c);

/* ---- Interrupts ----------------------------------------------------- */

/* Waits for an interrupt with interrupts disabled on entry, takes it (the
 * handlers run) and returns with interrupts disabled again: the idle loop's
 * halt, with no window for a lost wake-up. */
void arch_idle(void);

/* Sends the kernel's IPI to CPU c; c runs kernel_ipi() in interrupt
 * context. Safe from any context. */
void arch_ipi_send(const struct cpu *c);

/* Unmasks (enable) or masks a device interrupt line (x86: IOAPIC input,
 * aarch64: GIC SPI, riscv64: PLIC source), delivered to the boot CPU,
 * which calls kernel_irq(irq). Returns false for a line that does not
 * exist. */
bool arch_irq_line(unsigned irq, bool enable);

/* ---- Time ------------------------------------------------------------ */

/* A free-running counter that is consistent across CPUs (TSC, CNTVCT_EL0,
 * the time CSR), and its frequency in Hz, which the arch's boot code
 * learns or calibrates before it calls kernel_main. */
uint64_t arch_clock_read(void);
uint64_t arch_clock_hz(void);

/* Interrupts this CPU once arch_clock_read() >= deadline (in counter
 * ticks), replacing any earlier request; UINT64_MAX cancels. The interrupt
 * calls kernel_timer_interrupt(). Call with interrupts off. */
void arch_timer_set(uint64_t deadline);

/* Reads the real-time clock (CMOS, PL031, Goldfish): seconds since the
 * Unix epoch, UTC. Returns false if there is none. */
bool arch_rtc_read(int64_t *unix_seconds);

/* ---- Pages and TLBs (until the address-space layer exists) ----------- */

/* Maps the 4 KiB page va to the physical page pa (read-write, normal
 * memory) in the kernel page tables, va being outside the boot identity
 * map, or clears that mapping (pa == ARCH_NO_PAGE). Does not flush TLBs.
 * Returns false when the arch's early table pool is exhausted. */
#define ARCH_NO_PAGE UINT64_MAX
bool arch_map_page(uintptr_t va, uint64_t pa);

/* Invalidates this CPU's TLB entries for [va, va + len). */
void arch_tlb_flush_local(uintptr_t va, size_t len);

/* The caller's frame pointer, for walking the current stack. */
static inline uintptr_t arch_current_fp(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}

#endif
