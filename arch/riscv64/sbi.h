/*
 * Calls into the SBI firmware (OpenSBI) from S-mode: the extension id in
 * a7, the function id in a6, arguments in a0-a5; the error comes back in
 * a0 and the value in a1 (SBI specification, binary encoding chapter).
 * Extension and function ids are in riscv.h.
 */
#ifndef GORT_RISCV64_SBI_H
#define GORT_RISCV64_SBI_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/riscv.h"

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1,
				     uint64_t arg2)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a1 __asm__("a1") = arg1;
	register uint64_t a2 __asm__("a2") = arg2;
	register uint64_t a6 __asm__("a6") = fid;
	register uint64_t a7 __asm__("a7") = ext;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
	return (struct sbiret){(long)a0, (long)a1};
}

/* Whether the firmware implements extension ext. */
static inline bool sbi_has_extension(uint64_t ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, ext, 0, 0);
	return r.error == 0 && r.value != 0;
}

#endif
