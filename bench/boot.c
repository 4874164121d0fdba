/*
 * boot: the gort side of the "boot" benchmark workload.
 *
 * It prints one line and returns. gort-bench times how long after QEMU starts this line
 * appears on the console (the runner's --mark), and compares that with the same line
 * printed by bench/go/boot/main.go running as /init of a minimal Linux guest: "time from
 * power-on to the first line of main" for the two ways of shipping a service.
 */
#include <stdio.h>

int main(void)
{
	printf("gort-bench: main reached\n");
	return 0;
}
