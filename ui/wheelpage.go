package ui

import (
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
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
// A multi-line field on such a page is a newGrowingEntry: as high as its
// text, it has nothing of its own to scroll.
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

// growingRows is how many lines a newGrowingEntry shows at least.
const growingRows = 3

// newGrowingEntry is a multi-line entry that wraps its text at words and
// grows with it (at least growingRows lines). Under a form page's wheel
// layer, a field that scrolled its own text could be scrolled only by
// moving its cursor: the desk's message of a few paragraphs showed three
// lines of them.
func newGrowingEntry() *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(growingRows)
	shown := growingRows
	e.OnChanged = func(text string) {
		// The text's width inside the field's padding, a little less so
		// that a line the words wrap early is counted.
		width := e.Size().Width - 2*theme.InnerPadding() - theme.Padding()
		if rows := max(growingRows, textRows(text, width, e.TextStyle)); rows != shown {
			shown = rows
			e.SetMinRowsVisible(rows)
			relayout(e)
		}
	}
	return e
}

// textRows is how many lines text takes at width (none: one per line).
func textRows(text string, width float32, style fyne.TextStyle) int {
	rows := 0
	for _, line := range strings.Split(text, "\n") {
		n := 1
		if w := fyne.MeasureText(line, theme.TextSize(), style).Width; width > 0 && w > width {
			n = int(math.Ceil(float64(w / width)))
		}
		rows += n
	}
	return rows
}
