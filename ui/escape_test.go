package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// pressEscape types Escape into w as the desktop driver does: to the
// focused widget, else to the window's canvas.
func pressEscape(w fyne.Window) {
	key := &fyne.KeyEvent{Name: fyne.KeyEscape}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(key)
	} else if typed := w.Canvas().OnTypedKey(); typed != nil {
		typed(key)
	}
}

// TestEscapeClosesTheDialog: Escape did nothing in any dialog (found with
// the keyboard alone: a problem, a question, the code entry stayed open
// until tabbed to their buttons). It now does what the dialog's Close,
// Back, Cancel or Stop does: a question is not answered yes, the code is
// not sent, waiting stops; a dialog over a dialog goes first; with none
// open the key does nothing.
func TestEscapeClosesTheDialog(t *testing.T) {
	w, s := newApp(t, "en")
	overlays := func() int { return len(w.Canvas().Overlays().List()) }

	pressEscape(w) // nothing open
	showProblem(w, app.Problem{Code: "generic", Text: "Something went wrong."})
	if overlays() != 1 {
		t.Fatalf("%d dialogs after showProblem", overlays())
	}
	pressEscape(w)
	if overlays() != 0 {
		t.Fatalf("Escape left the problem dialog open: %s", dialogText(t, w))
	}

	yes := false
	confirm(w, "Cancel the request?", "It cannot be undone.", "Cancel the request", func() { yes = true })
	showProblem(w, app.Problem{Code: "generic", Text: "Over the question."})
	pressEscape(w)
	if overlays() != 1 || !strings.Contains(dialogText(t, w), "It cannot be undone.") {
		t.Fatalf("Escape over two dialogs: %d open", overlays())
	}
	pressEscape(w)
	if overlays() != 0 || yes {
		t.Fatalf("Escape on the question: %d open, answered yes %v", overlays(), yes)
	}

	// The code dialog focuses its entry: the entry passes Escape on.
	opened := ""
	askForCode(w, s, func(id string) { opened = id })
	if _, ok := w.Canvas().Focused().(*escapeEntry); !ok {
		t.Fatalf("the code dialog focuses %T", w.Canvas().Focused())
	}
	test.Type(w.Canvas().Focused().(*escapeEntry), "ABC")
	pressEscape(w)
	if overlays() != 0 || opened != "" {
		t.Fatalf("Escape in the code entry: %d open, opened %q", overlays(), opened)
	}

	stopped := false
	wait := &waiting{win: w}
	wait.stop = func() { stopped = true; wait.dialog.Hide() }
	wait.show()
	pressEscape(w)
	if !stopped || overlays() != 0 {
		t.Fatalf("Escape on the working dialog: stopped %v, %d open", stopped, overlays())
	}

	// A pop-up that is not a dialog (a choice's menu) is closed too.
	choice := widget.NewSelect([]string{"Latvia", "Estonia"}, nil)
	w.SetContent(choice)
	test.Tap(choice)
	if overlays() == 0 {
		t.Fatal("the choice opened no menu")
	}
	w.Canvas().Unfocus()
	pressEscape(w)
	if overlays() != 0 || choice.Selected != "" {
		t.Fatalf("Escape on the menu: %d open, chose %q", overlays(), choice.Selected)
	}
}
