// Command spawn is the Go side of the "spawn" benchmark workload, the twin
// of bench/spawn.c: main starts 1M goroutines that each call Done on one
// WaitGroup, waits for them all, and prints the mean cost of one goroutine
// (start, run, exit and join) in nanoseconds. Then it powers the machine
// off, as bench/go/boot does.
package main

import (
	"fmt"
	"sync"
	"syscall"
	"time"
)

const goroutines = 1_000_000

func main() {
	var wg sync.WaitGroup
	start := time.Now()
	wg.Add(goroutines)
	for i := 0; i < goroutines; i++ {
		go wg.Done()
	}
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Printf("gort-bench: spawn-ns %.1f\n", float64(elapsed.Nanoseconds())/goroutines)
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
}
