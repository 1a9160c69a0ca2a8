package gcgoal_test

import (
	"runtime/debug"
	"testing"

	"github.com/vienreiz/vienreiz/internal/gcgoal"
)

// TestSet: without GOGC the collector's goal becomes the one asked for; a
// GOGC the operator set is left as the runtime read it.
func TestSet(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	t.Setenv("GOGC", "")
	if !gcgoal.Set(gcgoal.Server) {
		t.Fatal("Set without GOGC: not applied")
	}
	if got := debug.SetGCPercent(100); got != gcgoal.Server {
		t.Fatalf("GC percent %d after Set(Server), want %d", got, gcgoal.Server)
	}

	t.Setenv("GOGC", "150")
	if gcgoal.Set(gcgoal.App) {
		t.Fatal("Set with GOGC=150: applied")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GC percent %d after Set with GOGC set, want it left at 100", got)
	}
}
