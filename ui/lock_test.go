package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// TestRelockAfterBeingAway: back within the time the app stays open; back
// later it asks for the PIN, refuses a wrong one, and shows the same
// screen again after the right one.
func TestRelockAfterBeingAway(t *testing.T) {
	test.NewTempApp(t)
	app.NewLanguage(memPrefs{"language": "en"})
	screen := widget.NewLabel("the wallet")
	w := test.NewTempWindow(t, screen)
	w.Resize(fyne.NewSize(600, 500))
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	l := &Relock{Win: w, After: RelockAfter, Check: func(pin string) bool { return pin == "246810" },
		Background: func(f func()) { f() }, Now: func() time.Time { return now }}
	l.Away()
	now = now.Add(RelockAfter - time.Second)
	if l.Back() || w.Content() != screen {
		t.Fatal("locked after being away less than the time")
	}
	l.Away()
	now = now.Add(RelockAfter)
	if !l.Back() || !strings.Contains(labels(w.Content()), "Unlock Vienreiz") || strings.Contains(labels(w.Content()), "the wallet") {
		t.Fatalf("not locked after being away %v:\n%s", RelockAfter, labels(w.Content()))
	}
	unlock := func(pin string) {
		find[*widget.Entry](w.Content())[0].SetText(pin)
		tapButton(t, w, "Unlock")
	}
	unlock("111111")
	if !strings.Contains(labels(w.Content()), "That PIN is not right") {
		t.Fatalf("a wrong PIN:\n%s", labels(w.Content()))
	}
	unlock("246810")
	if w.Content() != screen {
		t.Fatalf("the screen did not come back:\n%s", labels(w.Content()))
	}
}
