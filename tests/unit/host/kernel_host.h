/*
 * Host stand-ins for the kernel services the runtime's allocator uses
 * (kernel_host.c): the page allocator and the address space on top of the
 * host's mmap, one CPU per thread, and a throw that a test can catch.
 */
#ifndef GORT_TESTS_UNIT_HOST_KERNEL_HOST_H
#define GORT_TESTS_UNIT_HOST_KERNEL_HOST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes vm_map and page_alloc may hold at once before they report that
 * memory ran out (the "RAM" of the host machine). */
extern size_t host_ram_limit;
/* Bytes they hold now. */
extern size_t host_ram_used;

/* While host_throw_armed is set, throw copies its message into
 * host_throw_msg and longjmps to host_throw_env instead of aborting. */
extern jmp_buf host_throw_env;
extern bool host_throw_armed;
extern char host_throw_msg[128];

/* Makes CPUs 0..n-1 online; the calling thread plays CPU 0. */
void host_cpus_online(int n);
/* The calling thread plays CPU id. */
void host_become_cpu(int id);

#endif
