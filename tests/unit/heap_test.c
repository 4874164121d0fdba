/*
 * Host test of the whole heap allocator (runtime/malloc.c and its parts),
 * run on host memory through tests/unit/host, host threads playing CPUs:
 * objects of random sizes come back zeroed and stay intact; manual objects
 * are reused after free and empty spans go back to the page heap; invalid
 * and double frees are fatal errors with Go-style messages; aligned
 * allocation; realloc; MemStats counts exactly and keeps Go's identities;
 * several CPUs allocating and freeing each other's objects at once; and,
 * each in a child process (the mode is chosen once, at mallocinit),
 * GODEBUG=efence=1, GODEBUG=sbrk=1 and running out of memory.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/malloc.h"
#include "runtime/settings.h"
#include "tests/unit/check.h"
#include "tests/unit/host/kernel_host.h"

#include <gort/runtime.h>
#include "tests/xorshift.h"

#define OBJECTS        20000
#define THREADS        2 /* more than the host has cores makes ticket locks crawl */
#define THREAD_OBJECTS 20000

static uint64_t rng_state = XORSHIFT_SEED;

static uint64_t rng(void)
{
	return xorshift64(&rng_state);
}

/* Mostly small sizes, some up to 32 KiB, a few large. */
static size_t random_size(uint64_t r)
{
	switch (r % 16) {
	case 0:
		return 1 + (r >> 8) % (MAX_SMALL_SIZE - 1);
	case 1:
		if ((r >> 8) % 8 == 0)
			return MAX_SMALL_SIZE + 1 + (r >> 16) % (200 * 1024);
		return 1 + (r >> 8) % 64;
	default:
		return 1 + (r >> 8) % 512;
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static bool intact(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}

struct object {
	unsigned char *p;
	size_t size;
	int kind; /* 0 gort_new, 1 gort_new_noscan, 2 malloc */
};

static void test_random_objects(void)
{
	static struct object objs[OBJECTS];
	unsigned not_zero = 0, broken = 0;
	for (unsigned i = 0; i < OBJECTS; i++) {
		uint64_t r = rng();
		struct object *o = &objs[i];
		o->size = random_size(r);
		o->kind = (int)((r >> 40) % 3);
		o->p = o->kind == 0   ? gort_new(o->size)
		       : o->kind == 1 ? gort_new_noscan(o->size)
				      : manual_alloc(o->size, 16);
		not_zero += !all_zero(o->p, o->size);
		fill(o->p, o->size, i);
		/* Free some manual objects as we go, so later ones reuse them. */
		if (i > 0 && (r >> 50) % 4 == 0) {
			struct object *v = &objs[(r >> 20) % i];
			if (v->kind == 2 && v->p != NULL) {
				broken += !intact(v->p, v->size, (unsigned)(v - objs));
				manual_free(v->p);
				v->p = NULL;
			}
		}
	}
	for (unsigned i = 0; i < OBJECTS; i++)
		if (objs[i].p != NULL)
			broken += !intact(objs[i].p, objs[i].size, i);
	CHECK(not_zero == 0);
	CHECK(broken == 0);
	for (unsigned i = 0; i < OBJECTS; i++)
		if (objs[i].kind == 2 && objs[i].p != NULL)
			manual_free(objs[i].p);
}

static void test_manual_reuse(void)
{
	enum { N = 20000 };
	static void *p[N];
	runtime_MemStats before, full, after;
	runtime_ReadMemStats(&before);
	for (int i = 0; i < N; i++)
		p[i] = manual_alloc(100, 16);
	runtime_ReadMemStats(&full);
	for (int i = 0; i < N; i++)
		manual_free(p[i]);
	runtime_ReadMemStats(&after);
	CHECK(full.HeapAlloc - before.HeapAlloc == N * 112);
	/* The emptied spans went back to the page heap. */
	CHECK(after.HeapInuse <= before.HeapInuse + 2 * HEAP_PAGE_SIZE);
	CHECK(after.HeapObjects == before.HeapObjects);
	CHECK(after.Frees - before.Frees == N);
	/* Allocating them again takes no new memory. */
	for (int i = 0; i < N; i++)
		p[i] = manual_alloc(100, 16);
	runtime_MemStats again;
	runtime_ReadMemStats(&again);
	CHECK(again.HeapSys == full.HeapSys);
	unsigned not_zero = 0;
	for (int i = 0; i < N; i++) {
		not_zero += !all_zero(p[i], 100);
		manual_free(p[i]);
	}
	CHECK(not_zero == 0);
}

/* Runs fn(arg) expecting a throw whose message starts with want. */
static void expect_throw(void (*fn)(void *), void *arg, const char *want)
{
	host_throw_armed = true;
	if (setjmp(host_throw_env) == 0) {
		fn(arg);
		host_throw_armed = false;
		fprintf(stderr, "no fatal error, expected \"%s\"\n", want);
		CHECK(!"threw");
		return;
	}
	if (strncmp(host_throw_msg, want, strlen(want)) != 0) {
		fprintf(stderr, "fatal error \"%s\", expected \"%s\"\n", host_throw_msg, want);
		CHECK(!"the expected message");
	}
}

static void do_free(void *p)
{
	manual_free(p);
}

static void do_realloc(void *p)
{
	manual_realloc(p, 10);
}

static void test_invalid_frees(void)
{
	char msg[80];
	char *m = manual_alloc(100, 16);
	snprintf(msg, sizeof msg, "free of invalid pointer %#lx", (unsigned long)(m + 8));
	expect_throw(do_free, m + 8, msg);
	void *g = gort_new(100);
	snprintf(msg, sizeof msg, "free of invalid pointer %#lx", (unsigned long)g);
	expect_throw(do_free, g, msg);
	int local;
	expect_throw(do_free, &local, "free of invalid pointer 0x");
	expect_throw(do_free, (void *)0x1000, "free of invalid pointer 0x1000");
	manual_free(m);
	snprintf(msg, sizeof msg, "double free of %#lx", (unsigned long)m);
	expect_throw(do_free, m, msg);
	expect_throw(do_realloc, m, "realloc of freed pointer 0x");

	char *big = manual_alloc(100000, 16);
	expect_throw(do_free, big + HEAP_PAGE_SIZE, "free of invalid pointer 0x");
	manual_free(big);
	snprintf(msg, sizeof msg, "double free of %#lx", (unsigned long)big);
	expect_throw(do_free, big, msg);
}

static void test_alignment(void)
{
	for (size_t align = 8; align <= 1024 * 1024; align *= 2) {
		for (int k = 0; k < 20; k++) {
			size_t size = k < 5 ? 1 + (size_t)k : 1 + rng() % (k < 10 ? 256 : 40000);
			unsigned char *p = manual_alloc(size, align);
			unsigned char *q = manual_alloc(size, align);
			CHECK((uintptr_t)p % align == 0 && (uintptr_t)q % align == 0);
			manual_free(q);
			CHECK(manual_usable_size(p) >= size);
			CHECK(all_zero(p, size));
			memset(p, 0xa5, size);
			manual_free(p);
		}
	}
	/* malloc's 16-byte alignment for every size above 8. */
	for (size_t size = 9; size < 2000; size++) {
		void *p = manual_alloc(size, 16);
		CHECK((uintptr_t)p % 16 == 0);
		manual_free(p);
	}
}

static void test_realloc(void)
{
	unsigned char *p = manual_realloc(NULL, 10);
	fill(p, 10, 3);
	for (size_t size = 10; size < 300000; size = size * 3 / 2) {
		p = manual_realloc(p, size * 3 / 2);
		CHECK(intact(p, size, 3));
		fill(p, size * 3 / 2, 3);
	}
	p = manual_realloc(p, 5);
	CHECK(intact(p, 5, 3));
	CHECK(manual_realloc(p, 0) == NULL);
	CHECK(manual_alloc((size_t)1 << 62, 16) == NULL);
}

static void check_identities(const runtime_MemStats *m)
{
	CHECK(m->HeapObjects == m->Mallocs - m->Frees);
	CHECK(m->Alloc == m->HeapAlloc);
	CHECK(m->Sys >= m->HeapSys);
	CHECK(m->HeapSys >= m->HeapInuse);
	CHECK(m->HeapSys == m->HeapInuse + m->HeapIdle);
	CHECK(m->HeapInuse >= m->HeapAlloc);
	CHECK(m->TotalAlloc >= m->HeapAlloc);
	CHECK(m->Sys == m->HeapSys + m->StackSys + m->MSpanSys + m->MCacheSys + m->BuckHashSys +
			    m->GCSys + m->OtherSys);
	CHECK(m->MSpanSys >= m->MSpanInuse && m->MSpanInuse > 0);
	CHECK(m->MCacheSys >= m->MCacheInuse && m->MCacheInuse > 0);
	uint64_t mallocs = 0, frees = 0;
	for (int i = 0; i < 61; i++) {
		CHECK(m->BySize[i].Size == sizeclasses[i].size);
		mallocs += m->BySize[i].Mallocs;
		frees += m->BySize[i].Frees;
	}
	CHECK(mallocs <= m->Mallocs && frees <= m->Frees);
	CHECK(m->BySize[0].Mallocs == 0);
	/* Everything the host "RAM" holds is in Sys. */
	CHECK(m->Sys == host_ram_used);
}

static void test_memstats(void)
{
	runtime_MemStats a, b;
	runtime_ReadMemStats(&a);
	check_identities(&a);
	for (int i = 0; i < 1000; i++)
		gort_new(64);
	runtime_ReadMemStats(&b);
	check_identities(&b);
	CHECK(b.Mallocs - a.Mallocs == 1000);
	CHECK(b.TotalAlloc - a.TotalAlloc == 64000);
	CHECK(b.HeapAlloc - a.HeapAlloc == 64000);
	CHECK(b.BySize[size_to_class(64)].Mallocs - a.BySize[size_to_class(64)].Mallocs == 1000);

	/* 1000 4-byte tiny objects: 250 16-byte blocks, 750 combined into
	 * them (counted as allocated and freed, as Go does). */
	runtime_ReadMemStats(&a);
	for (int i = 0; i < 1000; i++)
		gort_new_noscan(4);
	runtime_ReadMemStats(&b);
	CHECK(b.Mallocs - a.Mallocs == 1000);
	CHECK(b.Frees - a.Frees <= 750 && b.Frees - a.Frees >= 746);
	CHECK(b.HeapObjects - a.HeapObjects == 1000 - (b.Frees - a.Frees));

	void *big = manual_alloc(1 << 20, 16);
	runtime_ReadMemStats(&a);
	manual_free(big);
	runtime_ReadMemStats(&b);
	check_identities(&b);
	CHECK(a.HeapAlloc - b.HeapAlloc == 1 << 20);
	CHECK(a.HeapInuse - b.HeapInuse == 1 << 20);
	CHECK(b.Frees - a.Frees == 1);
}

/* Each thread (a CPU) allocates manual and gort objects; half of its manual
 * objects it frees itself, the other half go to the next thread to free. */
static void *handoff[THREADS][THREAD_OBJECTS];
static unsigned handoff_count[THREADS];
static pthread_barrier_t barrier;
static unsigned thread_errors;

static void *cpu_thread(void *arg)
{
	int id = (int)(intptr_t)arg;
	host_become_cpu(id + 1);
	static _Thread_local unsigned char *mine[THREAD_OBJECTS];
	static _Thread_local size_t sizes[THREAD_OBJECTS];
	uint64_t r = 0x12345 + (uint64_t)id * 7919;
	unsigned errors = 0, n = 0;
	for (unsigned i = 0; i < THREAD_OBJECTS; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		sizes[i] = 1 + r % 2048;
		mine[i] = manual_alloc(sizes[i], 16);
		errors += !all_zero(mine[i], sizes[i]);
		fill(mine[i], sizes[i], i + (unsigned)id);
		gort_new(1 + (r >> 20) % 100);
	}
	for (unsigned i = 0; i < THREAD_OBJECTS; i++) {
		errors += !intact(mine[i], sizes[i], i + (unsigned)id);
		if (i % 2 == 0)
			manual_free(mine[i]);
		else
			handoff[id][n++] = mine[i];
	}
	handoff_count[id] = n;
	pthread_barrier_wait(&barrier);
	int from = (id + 1) % THREADS;
	/* Free the other CPU's objects while it allocates and frees in the
	 * same spans. */
	for (unsigned i = 0; i < handoff_count[from]; i++) {
		manual_free(handoff[from][i]);
		unsigned char *p = manual_alloc(1 + i % 2048, 16);
		errors += !all_zero(p, 1 + i % 2048);
		fill(p, 1 + i % 2048, i);
		errors += !intact(p, 1 + i % 2048, i);
		manual_free(p);
	}
	__atomic_fetch_add(&thread_errors, errors, __ATOMIC_RELAXED);
	return NULL;
}

static void test_threads(void)
{
	runtime_MemStats a, b;
	runtime_ReadMemStats(&a);
	pthread_t t[THREADS];
	pthread_barrier_init(&barrier, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, cpu_thread, (void *)(intptr_t)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(thread_errors == 0);
	runtime_ReadMemStats(&b);
	check_identities(&b);
	uint64_t n = THREADS * THREAD_OBJECTS;
	CHECK(b.Mallocs - a.Mallocs == 2 * n + n / 2);
	CHECK(b.Frees - a.Frees == n + n / 2);
	CHECK(b.HeapObjects - a.HeapObjects == n);
}

/* Runs fn in a child process whose heap runs under godebug; returns the
 * child's failure count. */
static int in_child(const char *godebug, void (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		settings.godebug = godebug;
		host_cpus_online(1);
		mallocinit();
		fn();
		exit(check_status(godebug) != 0);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Whether the process may read p (write(2) reports EFAULT otherwise). */
static bool readable(const void *p)
{
	int fd[2];
	if (pipe(fd) != 0)
		return false;
	bool ok = write(fd[1], p, 1) == 1;
	close(fd[0]);
	close(fd[1]);
	return ok;
}

static void efence_child(void)
{
	char *a = manual_alloc(100, 16);
	char *b = manual_alloc(100, 16);
	void *g = gort_new(8);
	CHECK((uintptr_t)a % HEAP_PAGE_SIZE == 0 && (uintptr_t)b % HEAP_PAGE_SIZE == 0);
	CHECK((uintptr_t)g % HEAP_PAGE_SIZE == 0);
	CHECK(readable(a));
	manual_free(a);
	CHECK(!readable(a));
	char msg[64];
	snprintf(msg, sizeof msg, "double free of %#lx", (unsigned long)a);
	expect_throw(do_free, a, msg);
	char *c = manual_alloc(100, 16);
	CHECK(c != a);
	runtime_MemStats m;
	runtime_ReadMemStats(&m);
	check_identities(&m);
	CHECK(m.HeapObjects == 3);
	manual_free(b);
	manual_free(c);
}

static void sbrk_child(void)
{
	char *a = manual_alloc(100, 16);
	memset(a, 1, 100);
	char *b = manual_realloc(a, 5000);
	CHECK(b[99] == 1);
	manual_free(b);
	void *big = gort_new(1 << 20);
	CHECK(all_zero(big, 1 << 20));
	void *al = manual_alloc(10, 4096);
	CHECK((uintptr_t)al % 4096 == 0);
	runtime_MemStats m;
	runtime_ReadMemStats(&m);
	CHECK(m.Mallocs == 0);
	CHECK(m.OtherSys >= (1 << 20) + 5100);
	CHECK(m.Sys == host_ram_used);
}

static void oom_child(void)
{
	host_ram_limit = 64 << 20;
	host_throw_armed = true;
	if (setjmp(host_throw_env) == 0) {
		for (;;)
			gort_new(1000);
	}
	CHECK(strcmp(host_throw_msg, "runtime: out of memory") == 0);
	host_throw_armed = true;
	if (setjmp(host_throw_env) == 0) {
		for (;;)
			gort_new(1 << 20);
	}
	CHECK(strcmp(host_throw_msg, "runtime: out of memory") == 0);
}

int main(void)
{
	/* The children first: each starts from a fresh heap. */
	CHECK(in_child("efence=1", efence_child) == 0);
	CHECK(in_child("sbrk=1", sbrk_child) == 0);
	CHECK(in_child("", oom_child) == 0);
	host_cpus_online(THREADS + 1);
	mallocinit();
	/* ReadMemStats on the host cannot park other threads: it runs
	 * while only CPU 0's thread runs. */
	host_cpus_online(1);
	test_random_objects();
	test_manual_reuse();
	test_invalid_frees();
	test_alignment();
	test_realloc();
	test_memstats();
	test_threads();
	return check_status("heap_test");
}
