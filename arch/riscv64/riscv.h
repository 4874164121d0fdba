/*
 * riscv64 CSR bits, page-table bits, SBI calls and QEMU virt's fixed
 * addresses, named once for the boot code and the arch layer.
 */
#ifndef GORT_RISCV_H
#define GORT_RISCV_H

/* QEMU virt (hw/riscv/virt.c memory map). */
#define VIRT_TEST_BASE  0x100000   /* sifive_test finisher */
#define VIRT_UART0_BASE 0x10000000 /* 16550, registers one byte apart */

/* sstatus. */
#define SSTATUS_SIE        (1 << 1)
#define SSTATUS_FS_INITIAL (1 << 13)

/* sie and sip: supervisor software, timer and external interrupts. */
#define SIE_SSIE (1 << 1)
#define SIE_STIE (1 << 5)
#define SIE_SEIE (1 << 9)
#define SIP_SSIP (1 << 1)

/* scause: the interrupt flag and the interrupt codes. */
#define SCAUSE_INTERRUPT (1ULL << 63)
#define IRQ_S_SOFT       1
#define IRQ_S_TIMER      5
#define IRQ_S_EXT        9

/* The Sstc supervisor timer compare register (written with csrw). */
#define CSR_STIMECMP 0x14d

#define SATP_MODE_SV48  (9ULL << 60)
#define SATP_MODE_SHIFT 60

/* Page-table entry bits. */
#define PTE_V         (1 << 0)
#define PTE_R         (1 << 1)
#define PTE_W         (1 << 2)
#define PTE_X         (1 << 3)
#define PTE_G         (1 << 5)
#define PTE_A         (1 << 6)
#define PTE_D         (1 << 7)
#define PTE_SW_WRITE  (1 << 8) /* RSW: writable, write-protected for tracking */
#define PTE_SW_STALE  (1 << 9) /* RSW: invalidated, waiting to be freed */
#define PTE_PPN_SHIFT 10

/* Sv48: four levels of 512 entries, 9 bits of the address each above the
 * 12-bit page offset. */
#define PT_LEVELS     4
#define PT_ENTRIES    512
#define PT_INDEX_BITS 9
#define PAGE_SHIFT    12
#define PAGE_SIZE     (1ULL << PAGE_SHIFT)

/* sifive_test finisher commands. */
#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

/* SBI extensions (SBI specification v1.0) and their function ids. */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_SEND_IPI  0x04
#define SBI_EXT_BASE             0x10
#define SBI_BASE_PROBE_EXTENSION 3
#define SBI_EXT_TIME             0x54494d45 /* "TIME" */
#define SBI_TIME_SET_TIMER       0
#define SBI_EXT_IPI              0x735049 /* "sPI" */
#define SBI_IPI_SEND_IPI         0
#define SBI_EXT_HSM              0x48534d /* "HSM" */
#define SBI_HSM_HART_START       0
#define SBI_EXT_SRST             0x53525354 /* "SRST" */
#define SBI_SRST_SHUTDOWN        0
#define SBI_SRST_NO_REASON       0
#define SBI_SRST_SYSTEM_FAILURE  1

/* Offsets in struct cpu (kernel/cpu.h) for the entry code in
 * boot/riscv64/entry.S and arch/riscv64/vectors.S; arch/riscv64/cpu.c
 * checks them. */
#define CPU_HWID_OFFSET                16
#define CPU_STACK_TOP_OFFSET           32
#define CPU_EXCEPTION_STACK_TOP_OFFSET 40

/* EXCEPTION_STACK_SIZE (kernel/cpu.h), for vectors.S; cpu.c checks it. */
#define RISCV_EXCEPTION_STACK_SIZE (32 * 1024)

#endif
