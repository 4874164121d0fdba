/*
 * The kernel address space: one set of page tables shared by every CPU.
 *
 * Layout (the same on every arch; all below 128 TiB, inside x86_64's and
 * Sv48's lower half and aarch64's 48-bit TTBR0 range):
 *   0 .. RAM top          the identity map of RAM and devices (the boot map,
 *                         extended by vm_init to cover all RAM)
 *   16 TiB .. 32 TiB      VM_REGION_MISC: small reservations, tests
 *   32 TiB .. 64 TiB      VM_REGION_HEAP: the heap's arenas
 *   64 TiB .. 128 TiB     VM_REGION_STACK: goroutine stack reservations
 * A reservation costs nothing until pages are mapped into it; page-table
 * pages come from the page allocator and are counted (vm_pagetable_bytes)
 * so that MemStats.Sys is exact.
 *
 * Write tracking is the garbage collector's write barrier: after
 * vm_track_writes on a range, vm_written_pages reports which of its pages
 * were written since. Where the CPU keeps hardware dirty bits (x86_64,
 * aarch64 with FEAT_HAFDBS, riscv64 implementations that set D) they are
 * read and cleared; elsewhere the pages are write-protected and the first
 * write to each faults into vm_fault, which records it and restores write
 * access.
 *
 * Every change that removes or restricts a mapping is shot down on all
 * CPUs before the call returns. Calls take the address-space lock
 * (interrupts off while held); they may be made from any CPU, in any
 * context. vm_mapped and vm_fault take no lock.
 */
#ifndef GORT_KERNEL_VM_H
#define GORT_KERNEL_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_TIB (1ULL << 40)

enum vm_region {
	VM_REGION_MISC,  /* [16 TiB, 32 TiB) */
	VM_REGION_HEAP,  /* [32 TiB, 64 TiB) */
	VM_REGION_STACK, /* [64 TiB, 128 TiB) */
};

enum {
	VM_READ = 1,
	VM_WRITE = 2,
	VM_EXEC = 4,
};

/* Boot CPU, after pagealloc_init: identity-maps all RAM and makes the
 * kernel page tables page-allocator backed. */
void vm_init(void);

/* Reserves bytes of address space (rounded up to pages) aligned to align
 * (a power of two >= PAGE_SIZE) in region; nothing is mapped. Returns 0
 * when the region is exhausted. vm_release returns a reservation (its
 * pages must be unmapped). */
uintptr_t vm_reserve(enum vm_region region, size_t bytes, size_t align);
void vm_release(uintptr_t va, size_t bytes);

/* Maps fresh zeroed pages over [va, va + bytes) (page aligned, inside a
 * reservation, not mapped yet). Returns false, with nothing mapped, when
 * physical memory runs out. */
bool vm_map(uintptr_t va, size_t bytes, unsigned prot);

/* Unmaps [va, va + bytes), frees its pages, and shoots it down; pages not
 * mapped are skipped. */
void vm_unmap(uintptr_t va, size_t bytes);

/* vm_unmap of many ranges at once, with a single TLB shootdown (the
 * goroutine stacks freed in a batch). */
struct vm_span {
	uintptr_t va;
	size_t bytes;
};
void vm_unmap_spans(const struct vm_span *spans, size_t n);

/* Changes the protection of the mapped pages in [va, va + bytes). */
void vm_protect(uintptr_t va, size_t bytes, unsigned prot);

/* Whether va is mapped (and, if so, with which protection). */
bool vm_mapped(uintptr_t va, unsigned *prot);

/* Starts tracking writes to the mapped pages of [va, va + bytes). */
void vm_track_writes(uintptr_t va, size_t bytes);

/* Sets bit i of bitmap (zeroed by the caller, one bit per page) for every
 * page i of [va, va + bytes) written since it was last tracked, re-arms
 * tracking for them, and returns how many. */
size_t vm_written_pages(uintptr_t va, size_t bytes, uint64_t *bitmap);

/* Whether writes are tracked by hardware dirty bits on this machine. */
bool vm_hardware_dirty_bits(void);

/* Bytes of page tables the address space holds, with the pages of its
 * reservation records (part of MemStats.Sys). */
uint64_t vm_pagetable_bytes(void);

/* Called by the arch's fault handler for a page fault at addr (write says
 * whether it was a write): returns true if the fault was a tracked write
 * (now recorded, access restored) or came from a stale TLB entry (now
 * flushed): retry the instruction. Interrupts off. */
bool vm_fault(uintptr_t addr, bool write);

#endif
