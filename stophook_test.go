package main

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// Fyne's loop queues nothing at its end once the app has taken the
// stopped hooks (Fyne's own, which saves the preferences, and the
// app's), and the function returned runs both.
func TestStopHooksRunAfterTheLoopNotOnIt(t *testing.T) {
	lc := test.NewTempApp(t).Lifecycle()
	var ran []string
	lc.SetOnStopped(func() { ran = append(ran, "app") })
	lc.(stopHooks).SetOnStoppedHookExecuted(func() { ran = append(ran, "fyne: save preferences") })

	stopped := takeOverStopHooks(lc)
	if f := lc.(stopHooks).OnStopped(); f != nil {
		t.Fatal("the loop's end still has a stopped hook to queue")
	}
	if len(ran) != 0 {
		t.Fatalf("hooks ran while being taken over: %v", ran)
	}
	stopped()
	if len(ran) != 2 || ran[0] != "app" || ran[1] != "fyne: save preferences" {
		t.Fatalf("ran %v, want the app's hook, then Fyne's", ran)
	}
}

// Without hooks there is nothing to run afterwards, and no nil call.
func TestNoStopHooksLeavesNothingToRun(t *testing.T) {
	lc := test.NewTempApp(t).Lifecycle()
	takeOverStopHooks(lc)()
}
