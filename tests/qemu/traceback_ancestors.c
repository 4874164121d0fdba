/*
 * GODEBUG=tracebackancestors=5: a goroutine's traceback goes on with the
 * stacks at which its ancestors created it, generation by generation, as
 * Go prints them ("[originating from goroutine N]:"), here in
 * runtime_Stack's output for a goroutine that main's child created.
 *
 * cmdline: GODEBUG=tracebackancestors=5
 * variant: smp2 --smp 2
 * expect-line: ancestry ok
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

static chan_t *never, *spawned;
static char buf[16384];

static NOINLINE void grandchild(void *arg)
{
	(void)arg;
	chan_recv(never, NULL);
	__asm__ volatile("" ::: "memory");
}

static NOINLINE void child(void *arg)
{
	(void)arg;
	go(grandchild, NULL);
	chan_send(spawned, NULL);
	chan_recv(never, NULL);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	never = chan_make(0, 0);
	spawned = chan_make(0, 0);
	go(child, NULL);
	chan_recv(spawned, NULL);
	const char *want[] = {"goroutine 3 [chan receive]:\ngrandchild(...)",
			      "created by child in goroutine 2",
			      "[originating from goroutine 2]:\nchild(...)",
			      "created by main in goroutine 1",
			      "[originating from goroutine 1]:\nmain(...)"};
	for (int tries = 0; tries < 1000; tries++) {
		int n = runtime_Stack(buf, sizeof buf - 1, true);
		buf[n] = '\0';
		const char *at = strstr(buf, want[0]);
		bool ok = at != NULL;
		for (size_t i = 1; ok && i < sizeof want / sizeof want[0]; i++) {
			at = strstr(at, want[i]);
			ok = at != NULL;
		}
		if (ok) {
			printf("ancestry ok\n");
			return 0;
		}
		time_Sleep(time_Millisecond);
	}
	printf("FAIL: runtime_Stack gave:\n%s\n", buf);
	return 1;
}
