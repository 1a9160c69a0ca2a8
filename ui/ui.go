// Package ui draws the Vienreiz app with Fyne widgets. It reads the view
// models of app/ and never talks to the exchange service itself.
package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/app"
)

// Build fills win with the app for session s and redraws it whenever the
// language changes, keeping the tab the user was on.
func Build(win fyne.Window, s *app.Session) {
	applyDisplay(s.Display)
	s.Display.OnChange(func() { applyDisplay(s.Display) })
	var shell *Shell
	draw := func() {
		selected := 0
		if shell != nil {
			selected = shell.Selected()
		}
		win.SetTitle(lang.L("app.title"))
		shell = NewShell(win, s)
		shell.Select(selected)
		Show(win, shell.Content())
	}
	draw()
	s.Language.OnChange(func(string) { draw() })
}

// applyDisplay makes the app's theme follow the display settings d.
func applyDisplay(d *app.Display) {
	if settings := fyne.CurrentApp().Settings(); settings != nil {
		settings.SetTheme(newAppTheme(settings.Theme(), d))
	}
}

// systemOpener is how the session opens files and pages with the system's
// apps: Session.Open, else Fyne's opener.
func systemOpener(s *app.Session) func(*url.URL) error {
	if s.Open != nil {
		return s.Open
	}
	return fyne.CurrentApp().OpenURL
}
