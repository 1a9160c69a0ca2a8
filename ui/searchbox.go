package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// searchBox puts a search entry with the placeholder of translation key
// placeholder above the hint of key hint, saying what one may search for.
// The placeholder stays short enough for a phone at 200 % text; the
// longer hint wraps instead of being cut.
func searchBox(entry *widget.Entry, placeholder, hint string) fyne.CanvasObject {
	entry.SetPlaceHolder(lang.L(placeholder))
	h := wrapped(lang.L(hint))
	h.SizeName = theme.SizeNameCaptionText
	return container.New(layout.NewCustomPaddedVBoxLayout(0), entry, h)
}
