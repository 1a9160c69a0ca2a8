package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestSavingACopyThroughTheFileDialogInLatvian saves a wallet document
// through Fyne's own file save dialog, as the real app does (found by
// driving the real app, TestDesktopWholeFlowInLatvian): in Latvian the
// dialog said "Save File", "Cancel", "Save" and the message after saving
// "OK", and at its own size it cut the proposed name ("Izziņa par
// ienākumiem no nodokļu reģistra 2026-12-05." without "pdf"). The copy is
// the delivered document.
func TestSavingACopyThroughTheFileDialogInLatvian(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home) // where Fyne's dialog opens
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	english := englishWords(t)
	w, s := newApp(t, "lv")
	w.Resize(fyne.NewSize(1280, 800))
	r := deliverFor(t, s, "lv-income-tax-return")
	file := r.Evidence[0]
	test.Tap(navButtons(t, w)[TabWallet])
	find[*widget.List](walletScreen(t, w))[0].Select(0)
	eventually(t, "the document page", func() bool { return strings.Contains(labels(w.Content()), "Izsniedza") })
	tapButton(t, w, "Saglabāt kopiju…")

	dialog := w.Canvas().Overlays().Top()
	if dialog == nil {
		t.Fatal("no file dialog")
	}
	inEnglish := func(text string) bool {
		for _, w := range regexp.MustCompile(`\p{L}{3,}`).FindAllString(text, -1) {
			// Fyne names its places in English and offers no translation.
			if english[w] && w != "Home" && w != "Computer" {
				return true
			}
		}
		return text == "OK"
	}
	for _, text := range texts(dialog) {
		if inEnglish(text) {
			t.Errorf("English in the Latvian file dialog: %q", text)
		}
	}
	var name *widget.Entry
	for _, e := range find[*widget.Entry](dialog) {
		if e.Text != "" {
			name = e
		}
	}
	want := regexp.MustCompile(`^` + regexp.QuoteMeta(r.EvidenceType.Title["LV"]) + ` \d{4}-\d{2}-\d{2}\.pdf$`)
	if name == nil || !want.MatchString(name.Text) {
		t.Fatalf("the dialog proposes %v, want a name like %q", name, want)
	}
	if need := fyne.MeasureText(name.Text, theme.TextSize(), name.TextStyle).Width + 2*theme.InnerPadding(); name.Size().Width < need {
		t.Errorf("the file name field is %.0f wide; the proposed name needs %.0f", name.Size().Width, need)
	}

	saved := false
	for _, b := range find[*widget.Button](dialog) {
		if b.Text == "Saglabāt" {
			test.Tap(b)
			saved = true
		}
	}
	if !saved {
		t.Fatalf("no Saglabāt button in the file dialog:\n%s", labels(dialog))
	}
	eventually(t, "the message that the copy was saved", func() bool {
		top := w.Canvas().Overlays().Top()
		return top != nil && strings.Contains(labels(top), "Kopija saglabāta")
	})
	message := w.Canvas().Overlays().Top()
	if !strings.Contains(labels(message), name.Text) {
		t.Errorf("the message does not name the copy:\n%s", labels(message))
	}
	// And where it went: the person chose a folder a moment ago.
	if !strings.Contains(labels(message), "mapē "+home+".") {
		t.Errorf("the message does not name the folder %s:\n%s", home, labels(message))
	}
	for _, text := range texts(message) {
		if inEnglish(text) {
			t.Errorf("English in the message after saving: %q", text)
		}
	}
	data, err := os.ReadFile(filepath.Join(home, name.Text))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != file.SHA256 || int64(len(data)) != file.Size {
		t.Fatalf("the saved copy (%d bytes) is not the delivered document (%d bytes)", len(data), file.Size)
	}
}

// TestSaveDialogSize: as large as saveDialogMax where the window has
// room, within a small window.
func TestSaveDialogSize(t *testing.T) {
	test.NewTempApp(t)
	if got := saveDialogSize(fyne.NewSize(1280, 800)); got != saveDialogMax {
		t.Errorf("in 1280×800: %v, want %v", got, saveDialogMax)
	}
	if got := saveDialogSize(fyne.NewSize(360, 740)); got.Width >= 360 || got.Width < 300 || got.Height != saveDialogMax.Height {
		t.Errorf("in 360×740: %v", got)
	}
}

// TestSavedCopyIsNamedInTheUsersLanguage: the copy of Mari's Estonian
// income statement was proposed as "Statement of declared income
// 2026-12-06.pdf" in the Latvian app, which names the document
// "Ienākumu apliecinājums" everywhere else (app.EvidenceName). The
// proposed file name is the name the app shows.
func TestSavedCopyIsNamedInTheUsersLanguage(t *testing.T) {
	w, s := newApp(t, "lv")
	deliverFrom(t, s, "lv-study-grant", "EE")
	test.Tap(navButtons(t, w)[TabWallet])
	ws := walletScreen(t, w)
	var proposed string
	ws.saver.choose = func(name string, done func(fyne.URIWriteCloser, error)) { proposed = name; done(nil, nil) }
	eventually(t, "the document in the wallet", func() bool { return len(find[*widget.List](ws)) > 0 && find[*widget.List](ws)[0].Length() == 1 })
	find[*widget.List](ws)[0].Select(0)
	eventually(t, "the document page", func() bool { return strings.Contains(labels(w.Content()), "Izsniedza") })
	tapButton(t, w, "Saglabāt kopiju…")
	if !strings.HasPrefix(proposed, "Ienākumu apliecinājums ") || !strings.HasSuffix(proposed, ".pdf") {
		t.Fatalf("the copy is proposed as %q", proposed)
	}
}
