/*
 * x86_64 constants and inline helpers that kernel/ may use (see
 * kernel/arch.h). Hardware register bits live in arch/x86_64/x86.h.
 */
#ifndef GORT_ARCHDEFS_H
#define GORT_ARCHDEFS_H

#define ARCH_GOARCH "amd64"
#define ARCH_MACHINE "x86_64"

/* Frame record at %rbp: [rbp] = caller's rbp, [rbp+8] = return address. */
#define ARCH_FRAME_LINK_OFFSET 0
#define ARCH_FRAME_RET_OFFSET 8

#endif
