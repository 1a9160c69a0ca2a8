package ui

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// NewProfileScreen holds the settings (language), the user's own records
// to take away, and what the app runs on.
func NewProfileScreen(win fyne.Window, s *app.Session) fyne.CanvasObject {
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
	settings := titledCard(lang.L("profile.settings"), "", newFacts(
		widget.NewFormItem(lang.L("profile.language"), choice),
		widget.NewFormItem(lang.L("profile.text_size"), newTextSizeChoice(s.Display)),
		widget.NewFormItem(lang.L("profile.high_contrast"), newContrastCheck(s.Display)),
	))
	about := titledCard(lang.L("profile.about"), lang.L("profile.about_body"), newFacts(
		widget.NewFormItem(lang.L("profile.version"), wrapped(s.About.Version)),
		widget.NewFormItem(lang.L("profile.service"), wrapped(s.About.ServiceURL)),
		widget.NewFormItem(lang.L("profile.data_dir"), wrapped(s.About.DataDir)),
	))
	signin := newAccountCard(win, s)
	help := titledCard(lang.L("help.title"), "", container.NewVBox(wrapped(lang.L("help.body")),
		buttons(newWrapButton(lang.L("help.title"), theme.HelpIcon(), func() { showHelpIndex(win) }))))
	cards := container.NewVBox(signin)
	if s.Devices != nil && s.Account != nil {
		cards.Add(forPerson(s, newDevicesCard(win, s)))
	}
	if s.Mandates != nil {
		cards.Add(forPerson(s, newMandatesCard(win, s)))
	}
	if s.Admin != nil {
		cards.Add(newAdminCard(win, s))
	}
	cards.Add(settings)
	cards.Add(help)
	cards.Add(forPerson(s, newRecordsCard(newSaver(win, s), s.Records)))
	cards.Add(about)
	page, scroll := newFormPage(cards)
	if s.Account != nil {
		// Signed in or out, the Sign-in card at the top is what changed;
		// the place kept from the other page would be past its end.
		whileDrawn(s, s.Account.OnChange(func() { fyne.Do(scroll.ScrollToTop) }))
	}
	return page
}

// newRecordsCard offers the user's own records as files: the ledger of
// every exchange, consent and access (CSV and JSON) and the expected-by
// dates as a calendar (.ics).
func newRecordsCard(sv *saver, r *app.Records) *widget.Card {
	saved := func(name, folder string) (string, string) {
		return lang.L("records.saved_title"), savedText("records.saved", name, folder)
	}
	buttons := container.NewVBox()
	for _, format := range app.LedgerFormats {
		buttons.Add(newWrapButton(lang.L("records.ledger_"+format), theme.DocumentSaveIcon(), func() {
			sv.save("vienreiz-ledger."+format, func(ctx context.Context, w io.Writer) error { return r.Ledger(ctx, format, w) }, saved)
		}))
	}
	buttons.Add(newWrapButton(lang.L("records.calendar"), theme.HistoryIcon(), func() {
		sv.save("vienreiz.ics", r.Calendar, saved)
	}))
	// The explanation is a wrapped label, not the card's subtitle, which
	// would not wrap and widen the window.
	return titledCard(lang.L("records.title"), "", container.NewVBox(wrapped(lang.L("records.body")), buttons))
}

// newTextSizeChoice offers the text sizes from 100 to 200 %.
func newTextSizeChoice(d *app.Display) *widget.Select {
	labels := make([]string, len(app.TextSizes))
	for i, p := range app.TextSizes {
		labels[i] = lang.L("profile.text_size_value", map[string]any{"Percent": p})
	}
	choice := widget.NewSelect(labels, nil)
	for i, p := range app.TextSizes {
		if p == d.TextSize() {
			choice.SetSelectedIndex(i)
		}
	}
	choice.OnChanged = func(string) {
		if i := choice.SelectedIndex(); i >= 0 {
			_ = d.SetTextSize(app.TextSizes[i]) // a listed size always applies
		}
	}
	return choice
}

// newContrastCheck turns high contrast on and off.
func newContrastCheck(d *app.Display) *widget.Check {
	c := widget.NewCheck(lang.L("profile.high_contrast_on"), nil)
	c.SetChecked(d.HighContrast())
	c.OnChanged = d.SetHighContrast
	return c
}
