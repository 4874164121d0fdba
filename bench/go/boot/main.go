// Command boot is the Go side of the "boot" benchmark workload, the twin of
// bench/boot.c. It runs as /init of a minimal Linux guest (kernel plus an
// initramfs holding only this static binary and /dev/console) and prints the
// line whose arrival gort-bench times: power-on to the first line of main.
//
// Then it powers the machine off, which ends QEMU with status 0. Should that
// fail, main returns, the kernel panics because init exited, and the guest's
// panic=-1 with QEMU's -no-reboot ends QEMU all the same.
package main

import (
	"fmt"
	"syscall"
)

func main() {
	fmt.Println("gort-bench: main reached")
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
}
