package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// wrapButtonNamed is the visible wrapping button with text on w.
func wrapButtonNamed(t *testing.T, w fyne.Window, text string) *wrapButton {
	t.Helper()
	for _, b := range find[*wrapButton](w.Content()) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q on the screen:\n%s", text, labels(w.Content()))
	return nil
}

// checkOneLine fails unless b, with room for it, shows its text on one
// line: as wide as that line and as high as a plain button.
func checkOneLine(t *testing.T, b *wrapButton, where string) {
	t.Helper()
	if got, want := b.Size().Width, b.naturalWidth(); got < want-1 {
		t.Errorf("%s: %q is %.0f wide, its text on one line needs %.0f", where, b.Text, got, want)
	}
	if got, want := b.Size().Height, b.button.MinSize().Height; got > want+1 {
		t.Errorf("%s: %q is %.0f high, a button with one line is %.0f: its text wraps", where, b.Text, got, want)
	}
}

// TestTrailingButtonsKeepTheirTextOnOneLine: a button beside a title or a
// message (the inbox's "Mark all read", the offline banner's "Try
// again") keeps its text on one line when the window has room for it.
// Found by trying the app: with an unread message, "Mark all read" stood
// one letter a line down the inbox's right edge, 250 pixels high, in a
// window 1,000 wide.
func TestTrailingButtonsKeepTheirTextOnOneLine(t *testing.T) {
	w, s, stop := newAppWithService(t, "en")
	openInboxWithAMessage(t, w, s)
	markAll := wrapButtonNamed(t, w, "Mark all read")
	if markAll.Disabled() {
		t.Fatal("Mark all read is disabled with an unread message")
	}
	checkOneLine(t, markAll, "the inbox")

	stop()
	test.Tap(navButtons(t, w)[TabServices])
	sc := servicesScreen(t, w)
	sc.delay = 0
	test.Type(sc.Search, "pension")
	eventually(t, "the offline banner", func() bool { return strings.Contains(labels(w.Content()), "loaded at") })
	checkOneLine(t, wrapButtonNamed(t, w, "Try again"), "the offline banner")
}
