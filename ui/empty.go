package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// NewEmptyState is the honest screen of a feature with nothing to show
// yet: an icon, a title and a sentence, translated from the keys
// empty.<name>.title and empty.<name>.body.
func NewEmptyState(icon fyne.Resource, name string) fyne.CanvasObject {
	img := canvas.NewImageFromResource(icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSquareSize(64))
	title := widget.NewLabelWithStyle(lang.L("empty."+name+".title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(lang.L("empty." + name + ".body"))
	body.Alignment = fyne.TextAlignCenter
	body.Wrapping = fyne.TextWrapWord
	return container.NewCenter(container.NewVBox(img, title, container.NewGridWrap(fyne.NewSize(320, 80), body)))
}
