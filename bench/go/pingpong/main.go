// Command pingpong is the Go side of the "pingpong" benchmark workload, the
// twin of bench/pingpong.c: two goroutines pass an integer back and forth
// over two unbuffered channels 200k times, and main prints the mean round
// trip in nanoseconds. Then it powers the machine off.
package main

import (
	"fmt"
	"syscall"
	"time"
)

const roundTrips = 200_000

func main() {
	ping := make(chan int)
	pong := make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	v := 0
	start := time.Now()
	for i := 0; i < roundTrips; i++ {
		ping <- i
		v = <-pong
	}
	elapsed := time.Since(start)
	close(ping)
	if v != roundTrips-1 {
		fmt.Printf("pingpong: wrong value %d\n", v)
	}
	fmt.Printf("gort-bench: pingpong-ns %.1f\n", float64(elapsed.Nanoseconds())/roundTrips)
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
}
