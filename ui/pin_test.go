package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// TestPINScreenChoosesAndUnlocks: choosing a PIN takes it twice, digits
// only and long enough, and says what is wrong otherwise; unlocking after
// a wrong PIN says so.
func TestPINScreenChoosesAndUnlocks(t *testing.T) {
	test.NewTempApp(t)
	app.NewLanguage(memPrefs{"language": "en"})
	var got []string
	w := test.NewTempWindow(t, widget.NewLabel(""))
	ShowPINScreen(w, true, "", func(pin string) { got = append(got, pin) })
	w.Resize(fyne.NewSize(600, 500))
	entries := find[*widget.Entry](w.Content())
	if len(entries) != 2 {
		t.Fatalf("choosing a PIN shows %d fields, want 2", len(entries))
	}
	try := func(pin, again, want string) {
		t.Helper()
		entries[0].SetText(pin)
		entries[1].SetText(again)
		tapButton(t, w, "Set PIN")
		if text := labels(w.Content()); want != "" && !strings.Contains(text, want) {
			t.Fatalf("PIN %q/%q: the screen says:\n%s", pin, again, text)
		}
	}
	try("1234", "1234", "at least 6 digits")
	try("12345a", "12345a", "digits only")
	try("246810", "246811", "The two PINs differ")
	if len(got) != 0 {
		t.Fatalf("a refused PIN was given on: %v", got)
	}
	try("246810", "246810", "")
	if len(got) != 1 || got[0] != "246810" {
		t.Fatalf("given on: %v", got)
	}

	unlock := test.NewTempWindow(t, widget.NewLabel(""))
	ShowPINScreen(unlock, false, "wrong_pin", func(pin string) { got = append(got, pin) })
	unlock.Resize(fyne.NewSize(600, 500))
	if text := labels(unlock.Content()); !strings.Contains(text, "That PIN is not right") || !strings.Contains(text, "Unlock Vienreiz") {
		t.Fatalf("unlock after a wrong PIN says:\n%s", text)
	}
	fields := find[*widget.Entry](unlock.Content())
	if len(fields) != 1 {
		t.Fatalf("unlocking shows %d fields, want 1", len(fields))
	}
	fields[0].SetText("246810")
	tapButton(t, unlock, "Unlock")
	if len(got) != 2 || got[1] != "246810" {
		t.Fatalf("unlock gave on: %v", got)
	}
}
