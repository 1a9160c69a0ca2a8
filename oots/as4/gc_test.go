package as4_test

import (
	"runtime/debug"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// TestSetDefaultGC: without GOGC the collector's target becomes
// GCPercent; a GOGC the operator set is left as the runtime read it.
func TestSetDefaultGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	t.Setenv("GOGC", "")
	if !as4.SetDefaultGC() {
		t.Fatal("SetDefaultGC without GOGC: not applied")
	}
	if got := debug.SetGCPercent(100); got != as4.GCPercent {
		t.Fatalf("GC percent %d after SetDefaultGC, want %d", got, as4.GCPercent)
	}

	t.Setenv("GOGC", "150")
	if as4.SetDefaultGC() {
		t.Fatal("SetDefaultGC with GOGC=150: applied")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GC percent %d after SetDefaultGC with GOGC set, want it left at 100", got)
	}
}
