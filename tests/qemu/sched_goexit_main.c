/*
 * runtime_Goexit in main ends the main goroutine without ending the
 * program. The other goroutines go on, and when the last one is gone the
 * program crashes with Go's message and status 2.
 *
 * variant: smp2 --smp 2
 * expect-exit: 2
 * expect-line: the other goroutine ran after main's Goexit
 * expect-line: fatal error: no goroutines (main called runtime.Goexit) - deadlock!
 * expect-not-contains: main went on
 */
#include <gort.h>
#include <stdio.h>

static void other(void *arg)
{
	(void)arg;
	time_Sleep(20 * time_Millisecond);
	printf("the other goroutine ran after main's Goexit\n");
}

int main(void)
{
	go(other, NULL);
	runtime_Goexit();
	printf("main went on\n");
	return 0;
}
