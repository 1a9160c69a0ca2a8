package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// minPINLength is the shortest app PIN accepted.
const minPINLength = 6

// ShowPINScreen fills win with the question for the app PIN that unlocks
// the app's secrets where the system has no secret store: with setting, a
// new PIN chosen twice; else the PIN, after a wrong one (problem
// "wrong_pin") saying so. The PIN field has the keyboard focus; submit
// gets the PIN once it is well-formed.
func ShowPINScreen(win fyne.Window, setting bool, problem string, submit func(pin string)) {
	title := lang.L("pin.unlock_title")
	body := lang.L("pin.unlock_body")
	if setting {
		title, body = lang.L("pin.set_title"), lang.L("pin.set_body")
	}
	pin := widget.NewPasswordEntry()
	pin.SetPlaceHolder(lang.L("pin.placeholder"))
	again := widget.NewPasswordEntry()
	again.SetPlaceHolder(lang.L("pin.again"))
	message := widget.NewLabel("")
	message.Importance = widget.DangerImportance
	message.Wrapping = fyne.TextWrapWord
	if problem != "" {
		message.SetText(lang.L("pin." + problem))
	}
	done := func() {
		p := strings.TrimSpace(pin.Text)
		switch {
		case len(p) < minPINLength || strings.IndexFunc(p, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0:
			message.SetText(lang.L("pin.too_short", map[string]any{"Min": minPINLength}))
		case setting && p != strings.TrimSpace(again.Text):
			message.SetText(lang.L("pin.mismatch"))
		default:
			message.SetText("")
			submit(p)
		}
	}
	pin.OnSubmitted = func(string) {
		if !setting {
			done()
		}
	}
	again.OnSubmitted = func(string) { done() }
	button := widget.NewButtonWithIcon(lang.L("pin.unlock"), theme.LoginIcon(), done)
	button.Importance = widget.HighImportance
	fields := container.NewVBox(pin)
	if setting {
		fields.Add(again)
		button.SetText(lang.L("pin.set"))
	}
	text := widget.NewLabel(body)
	text.Wrapping = fyne.TextWrapWord
	head := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	Show(win, container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 320),
		container.NewVBox(head, text, fields, message, container.NewCenter(button)))))
	win.Canvas().Focus(pin)
}
