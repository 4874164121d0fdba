// The Go side of gort's benchmarks: one static program per workload, each in
// its own folder (bench/go/NAME), built offline with the Debian toolchain
// (no requirements, so nothing is ever downloaded).
module gort.bench

go 1.19
