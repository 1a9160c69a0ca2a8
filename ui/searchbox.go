package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// searchBox puts the catalogue's search entry above a hint with examples
// of what to search for. The entry's placeholder stays short enough for a
// phone at 200 % text; the examples wrap in the hint instead of being cut.
func searchBox(entry *widget.Entry) fyne.CanvasObject {
	entry.SetPlaceHolder(lang.L("services.search_placeholder"))
	hint := wrapped(lang.L("services.search_hint"))
	hint.SizeName = theme.SizeNameCaptionText
	return container.New(layout.NewCustomPaddedVBoxLayout(0), entry, hint)
}
