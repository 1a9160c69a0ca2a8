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

// App is the goal of the app once it has started: its live heap is mostly
// fonts and screens, and letting the heap grow by half of it rather than
// all of it keeps the app's resident memory ~6 MiB lower (issue 16 item 5)
// for little work.
const App = 50

// Set makes percent the collector's goal unless the GOGC environment
// variable chose one, and reports whether it did.
func Set(percent int) bool {
	if os.Getenv("GOGC") != "" {
		return false
	}
	debug.SetGCPercent(percent)
	return true
}
