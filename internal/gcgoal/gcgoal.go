// Package gcgoal sets the garbage collector's goal (GOGC) of a Vienreiz
// process by its kind, unless the operator chose one with GOGC.
package gcgoal

import (
	"os"
	"runtime/debug"
)

// Server is the goal of a server process (the exchange service, an access
// point). Each AS4 message allocates its parsed envelopes, canonical forms
// and MIME buffers and drops them: with the runtime's default of 100 the
// collector ran about twice as often for a few MiB more of peak heap. 200
// took 5–10 % off the CPU time per message of BenchmarkSustained (issue 16
// item 2) for ~3 MiB more RSS per process.
const Server = 200

// App is the goal of the app once it has started. Its live heap (~11 MiB)
// is mostly parsed fonts and screens, and it allocates little: ~1.4 MB/s
// while it redraws every frame, so a collection about every 1.6 s then,
// at no CPU cost one can measure; at rest, none. Letting the heap grow by
// a fifth rather than by half keeps the app's resident memory 3.5 MiB
// lower (issue 16 item 5: 148 rather than 152 MiB with the service
// embedded); 10 would save 1 MiB more. The cost is the embedded demo
// service's: an exchange there allocates ~22 MB (half of it the demo
// member state's PDF), and takes ~95–105 ms rather than ~65–85 ms at 50
// (BenchmarkFullExchange beside an 11 MiB live heap; ~150 ms at 10).
const App = 20

// Set makes percent the collector's goal unless the GOGC environment
// variable chose one, and reports whether it did.
func Set(percent int) bool {
	if os.Getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(percent)
	return true
}
