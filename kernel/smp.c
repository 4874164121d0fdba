/*
 * CPU bring-up, the idle loop of CPUs without work, and cross-CPU calls
 * (see cpu.h and smp.h).
 */
#include "kernel/smp.h"

#include "kernel/arch.h"
#include "kernel/boot.h"
#include "kernel/boot_stack.h"
#include "kernel/clock.h"
#include "kernel/console.h"

#define CPU_START_TIMEOUT_NS 2000000000ULL

struct smp_call {
	void (*fn)(void *arg);
	void *arg;
	struct smp_call *next;
	bool done; /* set by the target with release order */
};

static uint8_t cpu_stacks[MAX_CPUS][CPU_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t exception_stacks[MAX_CPUS][EXCEPTION_STACK_SIZE] __attribute__((aligned(16)));

/* The boot CPU's stacks are known before anything runs, so its entry code
 * can install its exception stack first thing. */
struct cpu cpus[MAX_CPUS] = {
    [0] = {.self = &cpus[0],
	   .stack_top = (uintptr_t)(boot_stack + BOOT_STACK_SIZE),
	   .exception_stack_top = (uintptr_t)exception_stacks[0] + EXCEPTION_STACK_SIZE},
};

int cpu_online_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_CPUS; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
	return n;
}

/* Runs the calls queued for this CPU, taking them off the list one at a
 * time: a call that waits for another CPU (a lock whose holder is shooting
 * down this CPU's TLB) must leave the calls behind it on the list, where
 * the waiting code can serve them, not in a batch it cannot reach. Only
 * this CPU pops, with interrupts off, and a call runs only after its pop
 * is complete, so pops never interleave and a compare-and-swap of the
 * head cannot be fooled (no ABA). Interrupts off. */
static void run_calls(struct cpu *c)
{
	for (;;) {
		struct smp_call *call = __atomic_load_n(&c->calls, __ATOMIC_ACQUIRE);
		while (call != NULL &&
		       !__atomic_compare_exchange_n(&c->calls, &call, call->next, true,
						    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			;
		if (call == NULL)
			return;
		call->fn(call->arg);
		__atomic_store_n(&call->done, true, __ATOMIC_RELEASE);
	}
}

void kernel_ipi(void)
{
	struct cpu *c = this_cpu();
	c->ipis++;
	run_calls(c);
}

void smp_serve_calls(void)
{
	run_calls(this_cpu());
}

static void post(struct cpu *target, struct smp_call *call)
{
	call->done = false;
	call->next = __atomic_load_n(&target->calls, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&target->calls, &call->next, call, true,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	arch_ipi_send(target);
}

/* Interrupts off: serves this CPU's own calls while it waits. */
static void wait_done(struct smp_call *call)
{
	struct cpu *me = this_cpu();
	while (!__atomic_load_n(&call->done, __ATOMIC_ACQUIRE)) {
		run_calls(me);
		arch_cpu_relax();
	}
}

/* Both callers keep interrupts off from start to end, so that the CPU
 * they start on is the one they wait on (a goroutine could otherwise be
 * preempted and resumed elsewhere between the two). */
void smp_call(struct cpu *target, void (*fn)(void *arg), void *arg)
{
	unsigned long flags = arch_irq_save();
	if (target == this_cpu()) {
		fn(arg);
	} else {
		struct smp_call call = {.fn = fn, .arg = arg};
		post(target, &call);
		wait_done(&call);
	}
	arch_irq_restore(flags);
}

void smp_post_once(struct cpu *target, void (*fn)(void *arg), void *arg)
{
	static struct smp_call posted[MAX_CPUS];
	struct smp_call *call = &posted[target->id];
	call->fn = fn;
	call->arg = arg;
	post(target, call);
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	unsigned long flags = arch_irq_save();
	struct smp_call calls[MAX_CPUS];
	struct cpu *me = this_cpu();
	int n = 0;
	for (int i = 0; i < MAX_CPUS; i++) {
		struct cpu *c = &cpus[i];
		if (c == me || !__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
			continue;
		calls[n] = (struct smp_call){.fn = fn, .arg = arg};
		post(c, &calls[n++]);
	}
	for (int i = 0; i < n; i++)
		wait_done(&calls[i]);
	arch_irq_restore(flags);
}

void kernel_timer_interrupt(void)
{
	struct cpu *c = this_cpu();
	c->timer_interrupts++;
	if (c->timer_handler != NULL)
		c->timer_handler(c);
}

void kernel_interrupt_return(void)
{
	runtime_interrupt_return();
}

/* Where idle secondary CPUs go once the runtime starts its scheduler;
 * written once by smp_enter_scheduler. */
static void (*scheduler_entry)(void);

_Noreturn void kernel_secondary_main(struct cpu *c)
{
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	for (;;) {
		void (*entry)(void) = __atomic_load_n(&scheduler_entry, __ATOMIC_ACQUIRE);
		if (entry != NULL)
			entry();
		arch_idle();
	}
}

void smp_enter_scheduler(void (*entry)(void))
{
	__atomic_store_n(&scheduler_entry, entry, __ATOMIC_RELEASE);
	struct cpu *me = this_cpu();
	for (int i = 0; i < MAX_CPUS; i++)
		if (&cpus[i] != me && __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE))
			arch_ipi_send(&cpus[i]);
}

void smp_start(void)
{
	uint64_t hwids[MAX_CPUS];
	int n = arch_cpu_enumerate(hwids, MAX_CPUS);
	struct cpu *boot = &cpus[0];
	boot->id = 0;
	boot->hwid = n > 0 ? hwids[0] : 0;
	arch_cpu_init(boot);
	__atomic_store_n(&boot->online, true, __ATOMIC_RELEASE);

	for (int i = 1; i < n; i++) {
		struct cpu *c = &cpus[i];
		c->self = c;
		c->id = i;
		c->hwid = hwids[i];
		c->stack_top = (uintptr_t)cpu_stacks[i] + CPU_STACK_SIZE;
		c->exception_stack_top = (uintptr_t)exception_stacks[i] + EXCEPTION_STACK_SIZE;
		if (!arch_cpu_start(c)) {
			console_printf("gort: CPU %d (hardware id %#llx) refused to start\n", i,
				       (unsigned long long)c->hwid);
			continue;
		}
		uint64_t deadline = nanotime() + CPU_START_TIMEOUT_NS;
		while (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE) && nanotime() < deadline)
			arch_cpu_relax();
		if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
			console_printf("gort: CPU %d (hardware id %#llx) did not come up\n", i,
				       (unsigned long long)c->hwid);
	}
}
