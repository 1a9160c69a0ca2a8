package ui

import (
	"strings"
	"unicode/utf8"

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
		// The width the field wraps its text at, inside its padding, less
		// a little: a line that just fits here may wrap there.
		width := e.Size().Width - 2*theme.InnerPadding() - theme.Padding()
		if rows := max(growingRows, textRows(text, width, e.TextStyle)); rows != shown {
			shown = rows
			e.SetMinRowsVisible(rows)
			relayout(e)
		}
	}
	return e
}

// textRows is how many lines text takes at width, wrapped at words as
// the field wraps it (width 0: one per line).
func textRows(text string, width float32, style fyne.TextStyle) int {
	measure := func(s string) float32 { return fyne.MeasureText(s, theme.TextSize(), style).Width }
	rows := 0
	for _, paragraph := range strings.Split(text, "\n") {
		rows += paragraphRows(paragraph, width, measure)
	}
	return rows
}

// paragraphRows counts the lines a paragraph wraps to at width: words
// stay whole on a line unless one alone is wider, which then breaks.
func paragraphRows(paragraph string, width float32, measure func(string) float32) int {
	if width <= 0 {
		return 1
	}
	rows, line := 1, ""
	for _, word := range strings.Split(paragraph, " ") {
		joined := word
		if line != "" {
			joined = line + " " + word
		}
		if measure(joined) <= width {
			line = joined
			continue
		}
		if line != "" {
			rows++
		}
		for measure(word) > width { // too wide alone: broken where it fills a line
			word = word[fitting(word, width, measure):]
			rows++
		}
		line = word
	}
	return rows
}

// fitting is the length in bytes of the longest start of word (at least
// one rune) that fits in width.
func fitting(word string, width float32, measure func(string) float32) int {
	n := 0
	for i, r := range word {
		end := i + utf8.RuneLen(r)
		if n > 0 && measure(word[:end]) > width {
			break
		}
		n = end
	}
	return n
}
