/*
 * The C library's allocation functions, served by gort's heap as manual
 * objects (malloc.c). Defining them here keeps picolibc's own allocator
 * (its nano-malloc objects) out of the image: the linker takes a library
 * member only for a symbol nothing else defines, and every allocation
 * entry point picolibc's other code calls is defined here.
 *
 * Failure follows C: NULL with errno ENOMEM for a size no machine could
 * hold (larger than RAM) and EINVAL for a bad alignment. Running out of
 * memory otherwise is Go's fatal "runtime: out of memory". free() of
 * anything malloc did not return, or of a freed object, is a fatal error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel/pagealloc.h"
#include "runtime/malloc.h"

#define MALLOC_ALIGN 16

static void *check(void *p)
{
	if (p == NULL)
		errno = ENOMEM;
	return p;
}

static bool power_of_two(size_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

void *malloc(size_t size)
{
	return check(manual_alloc(size, MALLOC_ALIGN));
}

void free(void *p)
{
	manual_free(p);
}

void *calloc(size_t n, size_t size)
{
	size_t bytes;
	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return check(manual_alloc(bytes, MALLOC_ALIGN));
}

void *realloc(void *p, size_t size)
{
	void *q = manual_realloc(p, size);
	if (q == NULL && size != 0)
		errno = ENOMEM;
	return q;
}

void *aligned_alloc(size_t align, size_t size)
{
	if (!power_of_two(align)) {
		errno = EINVAL;
		return NULL;
	}
	return check(manual_alloc(size, align));
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	if (!power_of_two(align) || align % sizeof(void *) != 0)
		return EINVAL;
	void *p = manual_alloc(size, align);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return check(manual_alloc(size, PAGE_SIZE));
}

void *pvalloc(size_t size)
{
	if (size > SIZE_MAX - PAGE_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	return check(manual_alloc((size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), PAGE_SIZE));
}

size_t malloc_usable_size(void *p)
{
	return manual_usable_size(p);
}
