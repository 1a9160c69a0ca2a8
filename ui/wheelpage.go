package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// newFormPage is a vertically scrolling page of forms whose mouse wheel
// scrolls the page wherever the pointer is. Fyne gives a wheel turn to
// the innermost scroller under the pointer, and every text field has one
// that keeps the turn even when its text has nothing to scroll (the
// profile stopped scrolling wherever the pointer met one of its fields).
// A transparent layer over the page takes the turns and scrolls the
// page; taps, drags, hovering and the keyboard reach the fields beneath
// it, as the window looks for those by other interfaces.
//
// A multi-line field under the layer (the desk's message) scrolls its
// text as its cursor moves, not by the wheel.
func newFormPage(content fyne.CanvasObject) (*fyne.Container, *container.Scroll) {
	page := container.NewVScroll(content)
	layer := &wheelLayer{page: page}
	layer.ExtendBaseWidget(layer)
	return container.NewStack(page, layer), page
}

// wheelLayer passes the wheel turns over it to its page.
type wheelLayer struct {
	widget.BaseWidget
	page *container.Scroll
}

// Scrolled scrolls the page.
func (l *wheelLayer) Scrolled(ev *fyne.ScrollEvent) { l.page.Scrolled(ev) }

// CreateRenderer draws nothing.
func (l *wheelLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}
