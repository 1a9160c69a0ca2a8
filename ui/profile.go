package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// NewProfileScreen holds the settings (language) and what the app runs on.
func NewProfileScreen(s *app.Session) fyne.CanvasObject {
	names := make([]string, len(app.Languages))
	for i, code := range app.Languages {
		names[i] = lang.L("language." + code)
	}
	choice := widget.NewRadioGroup(names, nil)
	for i, code := range app.Languages {
		if code == s.Language.Code() {
			choice.SetSelected(names[i])
		}
	}
	choice.OnChanged = func(name string) {
		for i, n := range names {
			if n == name && app.Languages[i] != s.Language.Code() {
				_ = s.Language.Set(app.Languages[i]) // a listed language always applies
			}
		}
	}
	settings := widget.NewCard(lang.L("profile.settings"), "", widget.NewForm(
		widget.NewFormItem(lang.L("profile.language"), choice),
	))
	about := widget.NewCard(lang.L("profile.about"), lang.L("profile.about_body"), widget.NewForm(
		widget.NewFormItem(lang.L("profile.version"), wrapped(s.About.Version)),
		widget.NewFormItem(lang.L("profile.service"), wrapped(s.About.ServiceURL)),
		widget.NewFormItem(lang.L("profile.data_dir"), wrapped(s.About.DataDir)),
	))
	signin := widget.NewCard(lang.L("profile.signin"), "", wrapped(lang.L("profile.signin_body")))
	return container.NewVScroll(container.NewVBox(signin, settings, about))
}
