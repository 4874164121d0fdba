/*
 * riscv64 constants and inline helpers that kernel/ may use (see
 * kernel/arch.h). CSR bits live in arch/riscv64/riscv.h.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH "riscv64"
#define ARCH_MACHINE "riscv64"

/* With frame pointers, s0 points just above the saved pair:
 * [s0-8] = return address, [s0-16] = caller's s0. */
#define ARCH_FRAME_LINK_OFFSET (-16)
#define ARCH_FRAME_RET_OFFSET (-8)

#endif
