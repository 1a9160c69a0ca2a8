package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// startingScreen is the window's content while the app starts; Show stops
// its bar when another screen replaces it.
type startingScreen struct {
	widget.BaseWidget
	content fyne.CanvasObject
	busy    *busyBar
}

// Starting is the window's content while the app starts what it runs
// behind the screens (the secret store, sign-in, the exchange service).
// Replace it with Show.
func Starting() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Vienreiz", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabelWithStyle(lang.L("start.body"), fyne.TextAlignCenter, fyne.TextStyle{})
	s := &startingScreen{busy: newBusyBar()}
	s.busy.set(true)
	s.content = container.NewCenter(container.NewVBox(title, body, container.NewGridWrap(fyne.NewSize(280, 8), s.busy)))
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer draws the screen's content.
func (s *startingScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

// StartFailed is the window's content when the app could not start: what
// went wrong, in the words of the part that failed, and a way out.
func StartFailed(reason string, quit func()) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.L("start.failed"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(reason)
	body.Wrapping = fyne.TextWrapWord
	body.Alignment = fyne.TextAlignCenter
	close := widget.NewButtonWithIcon(lang.L("start.quit"), theme.CancelIcon(), quit)
	return container.NewCenter(container.NewVBox(title, container.NewGridWrap(fyne.NewSize(480, 120), body), container.NewCenter(close)))
}
