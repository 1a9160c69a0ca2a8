package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestStartFailedSaysWhyAndQuits: when a part of the app does not start,
// the window says what failed and its button quits.
func TestStartFailedSaysWhyAndQuits(t *testing.T) {
	test.NewTempApp(t)
	quit := 0
	w := test.NewTempWindow(t, StartFailed("-evidence-key-file: open /nowhere: no such file or directory", func() { quit++ }))
	buttons := find[*widget.Button](w.Content())
	if !strings.Contains(labels(w.Content()), "/nowhere") || len(buttons) != 1 {
		t.Fatalf("shown: %q, %d buttons", labels(w.Content()), len(buttons))
	}
	test.Tap(buttons[0])
	if quit != 1 {
		t.Fatalf("quit called %d times", quit)
	}
}
