package ui

import (
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Escape closes the dialog on top of a window, as its Close, Back, Cancel
// or Stop button does: people expect it of a dialog, and Fyne's dialogs
// ignore the key. The window hears a key only while no widget of the
// dialog has the focus (the focused widget gets it first), which is so
// when the dialog has just opened.

// escapes holds, per window, the pop-up of each dialog shown with present
// and what Escape does there.
var escapes = struct {
	sync.Mutex
	of map[fyne.Window]map[fyne.CanvasObject]func()
}{of: map[fyne.Window]map[fyne.CanvasObject]func(){}}

// present shows d over win; Escape then does escape, or dismisses d when
// escape is nil (a file or form dialog answers as its Cancel button).
func present(win fyne.Window, d dialog.Dialog, escape func()) {
	if escape == nil {
		escape = d.Dismiss
	}
	d.Show()
	top := win.Canvas().Overlays().Top()
	if top == nil {
		return
	}
	escapes.Lock()
	defer escapes.Unlock()
	open := escapes.of[win]
	if open == nil {
		open = map[fyne.CanvasObject]func(){}
		escapes.of[win] = open
		win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
			if e.Name == fyne.KeyEscape {
				escapeTop(win)
			}
		})
	}
	overlays := win.Canvas().Overlays().List()
	for o := range open { // forget the dialogs closed since
		if !slices.Contains(overlays, o) {
			delete(open, o)
		}
	}
	open[top] = escape
}

// escapeTop closes what is on top of win: a dialog as present was told,
// another pop-up (a menu) by hiding it.
func escapeTop(win fyne.Window) {
	top := win.Canvas().Overlays().Top()
	if top == nil {
		return
	}
	escapes.Lock()
	escape, ok := escapes.of[win][top]
	delete(escapes.of[win], top)
	escapes.Unlock()
	if !ok {
		top.Hide()
		win.Canvas().Overlays().Remove(top)
		return
	}
	escape()
}

// inform shows a message under title over win with an OK button.
func inform(win fyne.Window, title, message string) {
	present(win, dialog.NewInformation(title, message, win), nil)
}

// escapeEntry is an entry of a dialog on which Escape closes the dialog:
// the entry has the focus, so the window does not hear the key.
type escapeEntry struct {
	widget.Entry
	win fyne.Window
}

func newEscapeEntry(win fyne.Window) *escapeEntry {
	e := &escapeEntry{win: win}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the dialog on Escape and types any other key.
func (e *escapeEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		escapeTop(e.win)
		return
	}
	e.Entry.TypedKey(k)
}
