package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne's ProgressBarInfinite animates until it is stopped: hidden, or no
// longer in the window, it goes on marking the window for a repaint every
// frame until its renderer expires, a minute or more later. After every
// start (the start-up screen's bar, and the catalogue's during its first
// search) and after any search slow enough to show the bar, the app redrew
// at its frame rate for about 70 s: 42–52 % of a core under Xvfb with
// nobody touching it (issue 16 item 5). A bar here is stopped whenever it
// stops showing.

// busyBar shows an infinite progress bar while work runs. It is a widget:
// a type that only embedded a *fyne.Container was a canvas object Fyne
// neither drew nor looked into, and its bar was never seen.
type busyBar struct {
	widget.BaseWidget
	box *fyne.Container // the bar while busy, nothing otherwise
	bar *widget.ProgressBarInfinite
}

func newBusyBar() *busyBar {
	b := &busyBar{box: container.NewStack()}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer draws the bar's box.
func (b *busyBar) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.box) }

// set shows a fresh bar when busy, and stops and removes it when not.
func (b *busyBar) set(busy bool) {
	if busy == (b.bar != nil) {
		return
	}
	if busy {
		b.bar = widget.NewProgressBarInfinite()
		b.box.Objects = []fyne.CanvasObject{b.bar}
	} else {
		b.bar.Stop()
		b.bar = nil
		b.box.Objects = nil
	}
	b.box.Refresh()
	b.Refresh()
}

// Show makes content win's screen. A start-up screen it replaces stops its
// progress bar first.
func Show(win fyne.Window, content fyne.CanvasObject) {
	if s, ok := win.Content().(*startingScreen); ok {
		s.busy.set(false)
	}
	win.SetContent(content)
}
