// Command alloc is the Go side of the "alloc" benchmark workload, the twin of
// bench/alloc.c and bench/boehm/alloc.c. It allocates 10M 32-byte objects with
// two pointer fields (&node{}), each stored into a global sink so that it
// escapes to the heap, and prints the mean cost of one allocation in
// nanoseconds after the mark text gort-bench looks for. The figure includes
// whatever garbage collection the loop triggers, as it does on the other two
// sides.
//
// Then it powers the machine off, as bench/go/boot does.
package main

import (
	"fmt"
	"syscall"
	"time"
)

// node is 32 bytes on 64-bit machines: two pointers and two words of data.
type node struct {
	left, right *node
	a, b        uint64
}

// allocs is the number of allocations timed.
const allocs = 10_000_000

var sink *node

func main() {
	start := time.Now()
	for i := 0; i < allocs; i++ {
		sink = &node{}
	}
	elapsed := time.Since(start)
	fmt.Printf("gort-bench: alloc-ns %.1f\n", float64(elapsed.Nanoseconds())/allocs)
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
}
