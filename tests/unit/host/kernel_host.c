/*
 * Host stand-ins for kernel/pagealloc.h, kernel/vm.h, kernel/smp.h, the
 * console and throw (see kernel_host.h). Address space is host mmap
 * reservations (PROT_NONE until mapped), "physical" pages are host memory,
 * both counted against host_ram_limit.
 */
#include "tests/unit/host/kernel_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/pagealloc.h"
#include "kernel/smp.h"
#include "kernel/vm.h"
#include "runtime/throw.h"

size_t host_ram_limit = (size_t)1 << 32;
size_t host_ram_used;
jmp_buf host_throw_env;
bool host_throw_armed;
char host_throw_msg[128];

struct cpu cpus[MAX_CPUS];
_Thread_local struct cpu *host_cpu = &cpus[0];

void host_cpus_online(int n)
{
	for (int i = 0; i < MAX_CPUS; i++) {
		cpus[i].self = &cpus[i];
		cpus[i].id = i;
		cpus[i].online = i < n;
	}
	host_cpu = &cpus[0];
}

void host_become_cpu(int id)
{
	host_cpu = &cpus[id];
}

int cpu_online_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_CPUS; i++)
		n += __atomic_load_n(&cpus[i].online, __ATOMIC_ACQUIRE);
	return n;
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	(void)fn;
	(void)arg;
	fprintf(stderr, "smp_call_others: not on the host (one CPU online only)\n");
	abort();
}

static bool take_ram(size_t bytes)
{
	size_t used = __atomic_load_n(&host_ram_used, __ATOMIC_RELAXED);
	do {
		if (used + bytes > host_ram_limit)
			return false;
	} while (!__atomic_compare_exchange_n(&host_ram_used, &used, used + bytes, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

uint64_t page_alloc_zeroed(size_t npages)
{
	if (!take_ram(npages * PAGE_SIZE))
		return 0;
	void *p = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);
	memset(p, 0, npages * PAGE_SIZE);
	return (uint64_t)(uintptr_t)p;
}

uint64_t page_alloc(size_t npages)
{
	return page_alloc_zeroed(npages);
}

void page_free(uint64_t pa, size_t npages)
{
	free((void *)(uintptr_t)pa);
	__atomic_fetch_sub(&host_ram_used, npages * PAGE_SIZE, __ATOMIC_RELAXED);
}

void pagealloc_stats(struct pagealloc_stats *s)
{
	memset(s, 0, sizeof *s);
	s->total_pages = host_ram_limit / PAGE_SIZE;
	s->free_pages = (host_ram_limit - host_ram_used) / PAGE_SIZE;
}

uintptr_t vm_reserve(enum vm_region region, size_t bytes, size_t align)
{
	(void)region;
	bytes = (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	void *p = mmap(NULL, bytes + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	if (p == MAP_FAILED)
		return 0;
	uintptr_t va = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	return va;
}

void vm_release(uintptr_t va, size_t bytes)
{
	(void)va;
	(void)bytes;
}

bool vm_map(uintptr_t va, size_t bytes, unsigned prot)
{
	(void)prot;
	if (!take_ram(bytes))
		return false;
	if (mprotect((void *)va, bytes, PROT_READ | PROT_WRITE) != 0) {
		perror("mprotect");
		abort();
	}
	return true;
}

void vm_unmap(uintptr_t va, size_t bytes)
{
	madvise((void *)va, bytes, MADV_DONTNEED);
	mprotect((void *)va, bytes, PROT_NONE);
	__atomic_fetch_sub(&host_ram_used, bytes, __ATOMIC_RELAXED);
}

uint64_t vm_pagetable_bytes(void)
{
	return 0;
}

void console_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

_Noreturn void throw(const char *msg)
{
	if (host_throw_armed) {
		host_throw_armed = false;
		snprintf(host_throw_msg, sizeof host_throw_msg, "%s", msg);
		longjmp(host_throw_env, 1);
	}
	fprintf(stderr, "fatal error: %s\n", msg);
	abort();
}

/* No goroutine stacks on the host: MemStats.StackSys is 0. */
uint64_t stack_mapped_bytes(void)
{
	return 0;
}

/* A host thread plays one CPU and never moves: nothing to disable. */
void preempt_disable(void)
{
}

void preempt_enable(void)
{
}
