/*
 * aarch64 constants and inline helpers that kernel/ may use (see
 * kernel/arch.h). System register bits live in arch/aarch64/aarch64.h.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH "arm64"
#define ARCH_MACHINE "aarch64"

/* Frame record at x29: [x29] = caller's x29, [x29+8] = return address. */
#define ARCH_FRAME_LINK_OFFSET 0
#define ARCH_FRAME_RET_OFFSET 8

#endif
