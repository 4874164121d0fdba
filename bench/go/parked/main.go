// Command parked is the Go side of the "parked" benchmark workload, the
// twin of bench/parked.c: it reads MemStats.Sys, starts 100k goroutines
// that each block receiving from one channel, waits until all have started,
// reads Sys again and prints the physical memory one parked goroutine costs
// in bytes. Then it powers the machine off.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
)

const goroutines = 100_000

func main() {
	var before, after runtime.MemStats
	gate := make(chan struct{})
	var started sync.WaitGroup
	runtime.ReadMemStats(&before)
	started.Add(goroutines)
	for i := 0; i < goroutines; i++ {
		go func() {
			started.Done()
			<-gate
		}()
	}
	started.Wait()
	runtime.ReadMemStats(&after)
	fmt.Printf("gort-bench: parked-bytes %.1f\n", float64(after.Sys-before.Sys)/goroutines)
	close(gate)
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
}
