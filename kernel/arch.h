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

/*
 * Where traps run. Goroutine stacks grow by page faults, and a goroutine
 * may be switched away inside an interrupt handler, so the arch's entry
 * code keeps two rules:
 *
 * Exceptions (faults, invalid instructions, breakpoints) are handled on
 * this CPU's exception stack, [cpu->exception_stack_top -
 * EXCEPTION_STACK_SIZE, cpu->exception_stack_top), never on the stack that
 * faulted (which may be the unmapped page being faulted in). An exception
 * taken while already on the exception stack nests below the interrupted
 * frame. Page faults go to trap_page_fault (kernel/trap.h) first; a false
 * return means the fault is unexpected.
 *
 * Interrupts (timer, IPI, device lines) save their frame, every general
 * register and the whole FP/SIMD state, on the interrupted stack, written
 * by software after the hardware's own state (return address, flags) is
 * safely in registers or on a private stack, so a page fault while writing
 * it is an ordinary, nested exception that grows the stack. The entry
 * calls the handler (kernel_timer_interrupt, kernel_ipi, kernel_irq),
 * signals end-of-interrupt to the interrupt controller, and then calls
 * kernel_interrupt_return() with interrupts off, still on the interrupted
 * stack. That call may switch to another context (arch_context_switch)
 * and return much later on another CPU, so nothing between it and the
 * return from the interrupt may depend on which CPU runs it, and the exit
 * path never restores the per-CPU register from the frame.
 */

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

/* ---- Pages and TLBs (see kernel/vm.h) ------------------------------- */

/*
 * The kernel page tables are one tree shared by every CPU, of the same
 * shape on every arch (x86_64 four-level paging, aarch64 with the 4 KiB
 * granule and 48-bit addresses, riscv64 Sv48): ARCH_PT_LEVELS levels of
 * 4 KiB tables of 512 64-bit entries, reached through the identity map.
 * A level-0 entry maps a 4 KiB page; an entry at level L > 0 links a table
 * of level L - 1 or maps a block of 4 KiB << 9L bytes. kernel/vm.c walks
 * and edits the tree itself: the functions below only encode and decode
 * entries (pure, any context), so no page-table bit is named outside
 * arch/. prot is a mask of VM_READ, VM_WRITE and VM_EXEC (kernel/vm.h);
 * every mapped page is readable, and x86_64 cannot forbid execution.
 *
 * Write tracking. Every page entry is "written" or "clean". A new entry
 * (arch_pte_page) is written; arch_pte_clean arms it; the first write
 * afterwards makes it written again, either by hardware (x86_64 and
 * riscv64 dirty bits, aarch64 FEAT_HAFDBS dirty state) or, where the
 * hardware keeps no dirty state, through a write-protection fault that
 * kernel/vm.c's vm_fault resolves with arch_pte_write_fault. The arch
 * picks the mechanism in arch_pt_init and reports it with
 * arch_pt_hardware_dirty.
 */
#define ARCH_PT_LEVELS     4
#define ARCH_PT_INDEX_BITS 9

/* Prepares the MMU for kernel/vm.c (hardware dirty-state management where
 * it exists, for this CPU and the ones started later) and returns the
 * root table, the one every CPU already runs on. Boot CPU, once, before
 * the other CPUs start. */
uint64_t *arch_pt_init(void);

/* Whether write tracking uses hardware dirty state (else write faults). */
bool arch_pt_hardware_dirty(void);

/* Whether e maps or links something (the MMU uses it). */
bool arch_pte_valid(uint64_t e);

/* Whether e, an entry of a level > 0 table, links a table. */
bool arch_pte_is_table(uint64_t e);

/* The physical address e links or maps; also of an entry made by
 * arch_pte_invalid. */
uint64_t arch_pte_addr(uint64_t e);

/* An entry linking the (zeroed) table at physical address table. */
uint64_t arch_pte_table(uint64_t table);

/* An identity-map entry for RAM at level (0: a page; 1, 2: a block of
 * 2 MiB or 1 GiB at physical address pa, aligned): normal write-back
 * memory, read-write, not executable where the arch can say so. 0 when
 * the arch cannot map a block at that level. */
uint64_t arch_pte_ram(uint64_t pa, int level);

/* A level-0 entry mapping the 4 KiB page pa with prot; it counts as
 * written. */
uint64_t arch_pte_page(uint64_t pa, unsigned prot);

/* The protection a valid page or block entry gives, tracking aside: a
 * page armed by arch_pte_clean still reports VM_WRITE. */
unsigned arch_pte_prot(uint64_t e);

/* e made invalid with its address kept (arch_pte_addr still reads it, and
 * the result is never 0): the MMU ignores it; kernel/vm.c marks pages and
 * tables that wait for a TLB shootdown before they are freed this way. */
uint64_t arch_pte_invalid(uint64_t e);

/* Write tracking of a valid page entry: e armed (clean); whether e is
 * written (false for any invalid entry); and for a write fault on e, the
 * entry that lets the write proceed and counts as written (e itself when
 * e already allows the write: the fault came from a stale TLB entry), or
 * 0 when e forbids writes. */
uint64_t arch_pte_clean(uint64_t e);
bool arch_pte_written(uint64_t e);
uint64_t arch_pte_write_fault(uint64_t e);

/* Called after entries for [va, va + len) went from invalid to valid:
 * makes this CPU's table walks see them (a barrier, or a local flush
 * where cached invalid entries may linger). Other CPUs need nothing: a
 * stale "not mapped" they may still hold faults into vm_fault, which
 * retries. */
void arch_pt_mapped(uintptr_t va, size_t len);

/* Invalidates this CPU's TLB entries for [va, va + len); len ==
 * ARCH_TLB_ALL (or any range above the arch's threshold) flushes every
 * entry, cached intermediate (table) entries included, as needed after
 * unlinking a table. */
#define ARCH_TLB_ALL SIZE_MAX
void arch_tlb_flush_local(uintptr_t va, size_t len);

/* ---- Contexts: the scheduler's stack switch ------------------------ */

/*
 * A context is a stack pointer: everything else a suspended computation
 * needs is on its stack. arch_context_switch is the cooperative switch: it
 * pushes the callee-saved registers of the ABI (general and FP/SIMD:
 * x86_64 rbx rbp r12-r15, aarch64 x19-x30 and d8-d15, riscv64 s0-s11, ra
 * and fs0-fs11) and the return address on the caller's stack, stores the
 * stack pointer in *save_sp, loads load_sp and pops what was pushed there,
 * returning into the code that saved it (or starting the entry of a
 * context made by arch_context_make). Interrupts must be off on entry;
 * they are off when it returns. The per-CPU register (%gs base,
 * TPIDR_EL1, tp) is never saved or restored: a context may resume on
 * another CPU.
 */
void arch_context_switch(uintptr_t *save_sp, uintptr_t load_sp);

/* Builds, below stack_top (16-byte aligned), a context that
 * arch_context_switch can load: it calls entry(arg) on that stack with
 * interrupts off and a frame-pointer chain that ends there (the walk stops
 * at a zero frame pointer). Returns the stack pointer to load. entry must
 * never return. */
uintptr_t arch_context_make(uintptr_t stack_top, void (*entry)(void *arg), void *arg);

/* The stack pointer and frame pointer saved in a context made by
 * arch_context_switch, for walking a suspended stack; the pc is
 * arch_context_pc's, the return address the switch will resume at. */
uintptr_t arch_context_fp(uintptr_t sp);
uintptr_t arch_context_pc(uintptr_t sp);

/* The stack pointer of a trap frame. */
uintptr_t arch_trap_sp(const struct trapframe *tf);

/* The caller's frame pointer, for walking the current stack. */
static inline uintptr_t arch_current_fp(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}

#endif
