package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestMyRecordsSavesTheLedgerAndTheCalendar: the Profile's records card
// saves the user's ledger (CSV and JSON, with their explicit request in
// it) and the calendar of expected dates where the user chooses.
func TestMyRecordsSavesTheLedgerAndTheCalendar(t *testing.T) {
	w, s := newApp(t, "en")
	deliverRequest(t, s)
	dir := t.TempDir()
	sv := newSaver(w, s)
	sv.choose = func(name string, done func(fyne.URIWriteCloser, error)) {
		wc, err := storage.Writer(storage.NewFileURI(filepath.Join(dir, name)))
		done(wc, err)
	}
	card := newRecordsCard(sv, s.Records)
	for _, b := range find[*widget.Button](card) {
		test.Tap(b)
	}
	for name, want := range map[string]string{
		"vienreiz-ledger.csv":  "explicit_request_given",
		"vienreiz-ledger.json": `"action": "evidence_delivered"`,
		"vienreiz.ics":         "BEGIN:VCALENDAR",
	} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, %.200q; want it to hold %q", name, err, b, want)
		}
	}
	if text := labels(w.Canvas().Overlays().Top()); !strings.Contains(text, "Saved as") {
		t.Errorf("the last save's message: %q", text)
	}
}
