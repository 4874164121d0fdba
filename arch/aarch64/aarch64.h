/*
 * aarch64 system register bits and QEMU virt's fixed addresses, named once
 * for the boot code (assembly and C) and the arch layer.
 */
#ifndef GORT_AARCH64_H
#define GORT_AARCH64_H

/* QEMU virt (hw/arm/virt.c memory map). Everything else (GIC, PL031,
 * CPUs, PSCI) is read from the device tree. */
#define VIRT_RAM_BASE   0x40000000
#define VIRT_PL011_BASE 0x09000000

/* The boot identity map (boot/aarch64/boot.c) covers [0, BOOT_MAP_END). */
#define BOOT_MAP_END (256ULL << 30)

/* CurrentEL.EL */
#define CURRENTEL_EL2 (2 << 2)

#define HCR_EL2_RW                   (1 << 31)  /* EL1 is AArch64 */
#define CNTHCTL_EL2_EL1PCEN_EL1PCTEN 0x3        /* EL1 may use the physical timer */
#define CPTR_EL2_NO_FP_TRAP          0x33ff     /* RES1 bits, TFP clear */
#define SPSR_EL1H_MASKED             0x3c5      /* EL1h, D A I F masked */
#define SCTLR_EL1_RES1               0x30d00800 /* RES1 bits, MMU and caches off */
#define CPACR_EL1_FPEN               (3 << 20)  /* FP/SIMD not trapped */

/* ID_AA64PFR0_EL1.GIC: nonzero when the GICv3 system-register CPU
 * interface exists; ICC_SRE_EL2 then lets EL1 use it (SRE, Enable). */
#define ID_AA64PFR0_GIC_SHIFT  24
#define ID_AA64PFR0_GIC_MASK   0xf
#define ICC_SRE_EL2_SRE_ENABLE 0x9

/* MPIDR_EL1 affinity fields (Aff3 at 39:32, Aff2..Aff0 at 23:0). */
#define MPIDR_AFF_MASK 0xff00ffffffULL
#define MPIDR_AFF0(m)  ((m)&0xff)
#define MPIDR_AFF1(m)  (((m) >> 8) & 0xff)
#define MPIDR_AFF2(m)  (((m) >> 16) & 0xff)
#define MPIDR_AFF3(m)  (((m) >> 32) & 0xff)

#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_I (1 << 12)

/* MAIR_EL1 attribute indexes and encodings. */
#define MAIR_IDX_DEVICE   0
#define MAIR_IDX_NORMAL   1
#define MAIR_DEVICE_nGnRE 0x04
#define MAIR_NORMAL_WB    0xff

/* TCR_EL1: 48-bit TTBR0 space, 4 KiB granule, write-back inner-shareable
 * walks, TTBR1 walks disabled; IPS is filled from ID_AA64MMFR0_EL1. */
#define TCR_T0SZ_48    16
#define TCR_IRGN0_WBWA (1 << 8)
#define TCR_ORGN0_WBWA (1 << 10)
#define TCR_SH0_INNER  (3 << 12)
#define TCR_EPD1       (1 << 23)
#define TCR_IPS_SHIFT  32
#define TCR_HA         (1ULL << 39) /* hardware sets the access flag */
#define TCR_HD         (1ULL << 40) /* hardware manages dirty state (DBM entries) */

/* ID_AA64MMFR1_EL1.HAFDBS: 2 or more when the hardware can manage dirty
 * state (FEAT_HAFDBS). */
#define ID_AA64MMFR1_HAFDBS_MASK 0xf
#define HAFDBS_DIRTY             2

/* 4 KiB granule, four levels: the VA bits each level's index starts at. */
#define PAGE_SHIFT  12
#define PT_ENTRIES  512
#define PT_L0_SHIFT 39
#define PT_L1_SHIFT 30
#define PT_L2_SHIFT 21
#define PT_L3_SHIFT 12
#define VA_BITS     48

/* Translation table descriptors. */
#define PTE_VALID     0x1
#define PTE_TABLE     0x3
#define PTE_BLOCK     0x1 /* levels 1 and 2 */
#define PTE_PAGE      0x3 /* level 3 */
#define PTE_ATTR(idx) ((idx) << 2)
#define PTE_SH_INNER  (3 << 8)
#define PTE_AP_RO     (1 << 7) /* AP[2]: read-only */
#define PTE_AF        (1 << 10)
#define PTE_DBM       (1ULL << 51) /* dirty bit modifier: hardware clears AP[2] on write */
#define PTE_SW_WRITE  (1ULL << 55) /* software: writable, write-protected for tracking */
#define PTE_PXN       (1ULL << 53)
#define PTE_UXN       (1ULL << 54)

/* TLBI operands: the virtual page number in bits 43:0. */
#define TLBI_VA_SHIFT 12
#define TLBI_VA_MASK  ((1ULL << 44) - 1)

/* Output address bits of a table or page descriptor. */
#define PTE_ADDR_MASK 0x0000fffffffff000ULL

/* ESR_EL1 exception classes. */
#define ESR_EC_SHIFT    26
#define ESR_EC_MASK     0x3f
#define ESR_EC_UNKNOWN  0x00
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26

/* ESR_EL1 ISS of a data abort: write-not-read, and the fault status code
 * (DFSC), whose upper bits give the kind (the low two bits the level). */
#define ESR_ISS_WNR        (1 << 6)
#define ESR_DFSC_KIND_MASK 0x3c
#define DFSC_TRANSLATION   0x04
#define DFSC_ACCESS_FLAG   0x08
#define DFSC_PERMISSION    0x0c

/* Exception vector entries (VBAR_EL1 + index * 0x80): four groups (current
 * EL with SP_EL0, current EL with SP_EL1, lower EL AArch64, lower EL
 * AArch32) of four kinds (synchronous, IRQ, FIQ, SError). */
#define VECTOR_KINDS   4
#define VECTOR_SYNC    0
#define VECTOR_IRQ_SP0 1

/* SPSR_EL1.M[0]: the interrupted code ran on SP_EL1 (EL1h), not SP_EL0
 * (EL1t). */
#define SPSR_M_SP_ELX_BIT 0

/* Where the entry code finds this CPU's exception stack: the offset of
 * exception_stack_top in struct cpu (kernel/cpu.h; checked in smp.c). */
#define CPU_EXCEPTION_STACK_TOP 40

/* Generic timer: CNTV_CTL_EL0.ENABLE, and the virtual timer's PPI when the
 * device tree has no /timer node (the SBSA-recommended INTID 27). */
#define CNT_CTL_ENABLE           (1 << 0)
#define TIMER_VIRT_INTID_DEFAULT 27

/* PSCI function ids (SMCCC 64-bit calls), and its success return value. */
#define PSCI_0_2_FN64_CPU_ON 0xc4000003
#define PSCI_SUCCESS         0

/* GIC interrupt ids: SGIs 0-15, PPIs 16-31, SPIs from 32; ids from 1020
 * up are special (1023: spurious, nothing pending). */
#define GIC_PPI_BASE      16
#define GIC_SPI_BASE      32
#define GIC_INTID_SPECIAL 1020
#define GIC_MAX_INTID     1020
#define GIC_SGI_KERNEL    0    /* the kernel's IPI */
#define GIC_PRIORITY      0xa0 /* every interrupt gort uses */
#define GIC_PRIORITY_MASK 0xff /* PMR: let every priority through */

/* GIC distributor (GICD), common to v2 and v3. */
#define GICD_CTLR              0x0000
#define GICD_TYPER             0x0004
#define GICD_IGROUPR           0x0080
#define GICD_ISENABLER         0x0100
#define GICD_ICENABLER         0x0180
#define GICD_ICPENDR           0x0280
#define GICD_IPRIORITYR        0x0400
#define GICD_ITARGETSR         0x0800 /* v2 */
#define GICD_SGIR              0x0f00 /* v2 */
#define GICD_IROUTER           0x6000 /* v3, 64-bit per interrupt */
#define GICD_TYPER_LINES(t)    ((((t)&0x1f) + 1) * 32)
#define GICD_CTLR_ENABLE_GRP0  (1 << 0)
#define GICD_CTLR_ENABLE_GRP1  (1 << 1)
#define GICD_CTLR_ARE          (1 << 4) /* v3: affinity routing */
#define GICD_CTLR_RWP          (1U << 31)
#define GICD_SGIR_TARGET_SHIFT 16

/* GICv2 CPU interface (GICC). */
#define GICC_CTLR             0x0000
#define GICC_PMR              0x0004
#define GICC_BPR              0x0008
#define GICC_IAR              0x000c
#define GICC_EOIR             0x0010
#define GICC_CTLR_ENABLE_GRP0 (1 << 0)
#define GICC_IAR_INTID_MASK   0x3ff

/* GICv3 redistributor (GICR): an RD frame then an SGI frame, 64 KiB each,
 * plus two more frames when the GIC supports virtual LPIs. */
#define GICR_FRAME_SIZE            0x10000
#define GICR_CTLR                  0x0000
#define GICR_WAKER                 0x0014
#define GICR_TYPER_LO              0x0008
#define GICR_TYPER_HI              0x000c /* affinity: Aff3.Aff2.Aff1.Aff0 */
#define GICR_TYPER_VLPIS           (1 << 1)
#define GICR_TYPER_LAST            (1 << 4)
#define GICR_CTLR_RWP              (1U << 3)
#define GICR_WAKER_PROCESSOR_SLEEP (1 << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1 << 2)
#define GICR_SGI_OFFSET            GICR_FRAME_SIZE
#define GICR_IGROUPR0              0x0080
#define GICR_ISENABLER0            0x0100
#define GICR_ICENABLER0            0x0180
#define GICR_IPRIORITYR            0x0400

/* GICv3 CPU interface (ICC_* system registers) bits. */
#define ICC_SRE_SRE                 (1 << 0)
#define ICC_IAR1_INTID_MASK         0xffffff
#define ICC_SGI1R_TARGETS_PER_RANGE 16
#define ICC_SGI1R_AFF1_SHIFT        16
#define ICC_SGI1R_INTID_SHIFT       24
#define ICC_SGI1R_AFF2_SHIFT        32
#define ICC_SGI1R_RS_SHIFT          44
#define ICC_SGI1R_AFF3_SHIFT        48

/* Semihosting: SYS_EXIT_EXTENDED with ADP_Stopped_ApplicationExit. */
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT  0x20026

#endif
