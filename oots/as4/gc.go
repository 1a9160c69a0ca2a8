package as4

import (
	"os"
	"runtime/debug"
)

// GCPercent is the garbage collector's target (GOGC) that SetDefaultGC
// gives a process running an access point. Each message allocates its
// parsed envelopes, canonical forms and MIME buffers and drops them: with
// the runtime's default of 100 the collector ran about twice as often for
// a few MiB more of peak heap. 200 took 5–10 % off the CPU time per
// message of BenchmarkSustained (issue 16 item 2) for ~3 MiB more RSS
// per process.
const GCPercent = 200

// SetDefaultGC sets the garbage collector's target to GCPercent unless the
// GOGC environment variable chooses one, and reports whether it did. The
// server calls it at start-up, and so do BenchmarkSustained's processes.
func SetDefaultGC() bool {
	if os.Getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(GCPercent)
	return true
}
