/*
 * aarch64 system register bits and QEMU virt's fixed addresses, named once
 * for the boot code (assembly and C) and the arch layer.
 */
#ifndef GORT_AARCH64_H
#define GORT_AARCH64_H

/* QEMU virt (hw/arm/virt.c memory map). */
#define VIRT_RAM_BASE 0x40000000
#define VIRT_PL011_BASE 0x09000000

/* CurrentEL.EL */
#define CURRENTEL_EL2 (2 << 2)

#define HCR_EL2_RW (1 << 31)		 /* EL1 is AArch64 */
#define CNTHCTL_EL2_EL1PCEN_EL1PCTEN 0x3 /* EL1 may use the physical timer */
#define CPTR_EL2_NO_FP_TRAP 0x33ff	 /* RES1 bits, TFP clear */
#define SPSR_EL1H_MASKED 0x3c5		 /* EL1h, D A I F masked */
#define SCTLR_EL1_RES1 0x30d00800	 /* RES1 bits, MMU and caches off */
#define CPACR_EL1_FPEN (3 << 20)	 /* FP/SIMD not trapped */

#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)

/* MAIR_EL1 attribute indexes and encodings. */
#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_DEVICE_nGnRE 0x04
#define MAIR_NORMAL_WB 0xff

/* TCR_EL1: 48-bit TTBR0 space, 4 KiB granule, write-back inner-shareable
 * walks, TTBR1 walks disabled; IPS is filled from ID_AA64MMFR0_EL1. */
#define TCR_T0SZ_48 16
#define TCR_IRGN0_WBWA (1 << 8)
#define TCR_ORGN0_WBWA (1 << 10)
#define TCR_SH0_INNER (3 << 12)
#define TCR_EPD1 (1 << 23)
#define TCR_IPS_SHIFT 32

/* Translation table descriptors. */
#define PTE_VALID 0x1
#define PTE_TABLE 0x3
#define PTE_BLOCK 0x1 /* levels 1 and 2 */
#define PTE_PAGE 0x3  /* level 3 */
#define PTE_ATTR(idx) ((idx) << 2)
#define PTE_SH_INNER (3 << 8)
#define PTE_AF (1 << 10)
#define PTE_PXN (1ULL << 53)
#define PTE_UXN (1ULL << 54)

/* ESR_EL1 exception classes. */
#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26

/* Semihosting: SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit. */
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

#endif
