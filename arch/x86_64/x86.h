/*
 * x86_64 register bits, selectors and port I/O, named once for the boot
 * code (assembly and C) and the arch layer.
 */
#ifndef GORT_X86_H
#define GORT_X86_H

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000

#define CR4_PAE 0x00000020
#define CR4_OSFXSR 0x00000200
#define CR4_OSXMMEXCPT 0x00000400

#define MSR_EFER 0xc0000080
#define EFER_LME 0x00000100

/* Page-table entry bits. */
#define PTE_P 0x001
#define PTE_W 0x002
#define PTE_PS 0x080

/* GDT selectors: the boot GDT and the final one share the first three. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_TSS 0x18

/* The exit device QEMU is started with: isa-debug-exit,iobase=0xf4,iosize=4. */
#define DEBUG_EXIT_PORT 0xf4
#define COM1_PORT 0x3f8

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}
#endif

#endif
