/*
 * Unlocking an unlocked sync_Mutex is Go's fatal error (not a
 * recoverable panic): "fatal error: sync: unlock of unlocked mutex",
 * exit status 2.
 *
 * expect-exit: 2
 * expect-line: locked and unlocked once
 * expect-line: fatal error: sync: unlock of unlocked mutex
 * expect-not-contains: FAIL
 */
#include <gort.h>
#include <stdio.h>

int main(void)
{
	sync_Mutex mu = {0};
	sync_Mutex_Lock(&mu);
	sync_Mutex_Unlock(&mu);
	printf("locked and unlocked once\n");
	sync_Mutex_Unlock(&mu);
	printf("FAIL: unlock of an unlocked mutex returned\n");
	return 0;
}
