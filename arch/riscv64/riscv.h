/*
 * riscv64 CSR bits, page-table bits, SBI calls and QEMU virt's fixed
 * addresses, named once for the boot code and the arch layer.
 */
#ifndef GORT_RISCV_H
#define GORT_RISCV_H

/* QEMU virt (hw/riscv/virt.c memory map). */
#define VIRT_TEST_BASE 0x100000	  /* sifive_test finisher */
#define VIRT_UART0_BASE 0x10000000 /* 16550, registers one byte apart */

#define SSTATUS_SIE (1 << 1)
#define SSTATUS_FS_INITIAL (1 << 13)

#define SATP_MODE_SV48 (9ULL << 60)
#define SATP_MODE_SHIFT 60

/* Page-table entry bits. */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_PPN_SHIFT 10

#define SCAUSE_INTERRUPT (1ULL << 63)

/* sifive_test finisher commands. */
#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

/* SBI system reset extension ("SRST"). */
#define SBI_EXT_SRST 0x53525354
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_NO_REASON 0
#define SBI_SRST_SYSTEM_FAILURE 1

#endif
