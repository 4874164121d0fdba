/*
 * Host test of the kernel's spinlock (kernel/spinlock.h): threads
 * hammering one counter under the lock never lose an increment, and the
 * lock ends released.
 */
#include <pthread.h>

#include "kernel/spinlock.h"

#include "tests/unit/check.h"

#define THREADS 4
#define ROUNDS  50000

static struct spinlock lock = SPINLOCK_INIT;
static unsigned long counter;

static void *hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&lock);
		unsigned long v = counter;
		__asm__ volatile("" : : : "memory");
		counter = v + 1;
		spin_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, hammer, NULL) == 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == (unsigned long)THREADS * ROUNDS);
	CHECK(lock.locked == 0);
	return check_status("spinlock_test");
}
