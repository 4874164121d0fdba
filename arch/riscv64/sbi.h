/*
 * Calls into the SBI firmware (OpenSBI) from S-mode: the extension id in
 * a7, the function id in a6, arguments in a0-a5; the error comes back in
 * a0 and the value in a1 (SBI specification, binary encoding chapter).
 */
#ifndef GORT_RISCV64_SBI_H
#define GORT_RISCV64_SBI_H

#include <stdint.h>

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a1 __asm__("a1") = arg1;
	register uint64_t a6 __asm__("a6") = fid;
	register uint64_t a7 __asm__("a7") = ext;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return (struct sbiret){(long)a0, (long)a1};
}

#endif
