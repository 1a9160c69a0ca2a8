//go:build unix

package edm

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of the process so far. The
// benchmarks report it per operation ("cpu-ns/op") next to the wall time,
// because on a shared machine wall time also counts the time spent waiting
// for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
