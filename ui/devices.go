package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// newDevicesCard is the Profile's "Your devices": a pairing code that
// signs a signed-out phone in as the person, and the devices signed in
// that way, each with its own sign out.
func newDevicesCard(win fyne.Window, s *app.Session) fyne.CanvasObject {
	list := container.NewVBox()
	var reload func()
	show := func(devices []api.Device) {
		list.Objects = nil
		if len(devices) == 0 {
			list.Add(wrapped(lang.L("devices.none")))
		}
		for _, d := range devices {
			name := d.Device
			if d.Current {
				name += " (" + lang.L("devices.this") + ")"
			}
			since := lang.L("devices.since", map[string]any{
				"Date": d.CreatedAt.Local().Format("2006-01-02 15:04"), "Seen": d.RefreshedAt.Local().Format("2006-01-02 15:04")})
			out := widget.NewButtonWithIcon(lang.L("devices.sign_out"), theme.LogoutIcon(), func() {
				call(s, func(ctx context.Context) {
					err := s.Devices.Revoke(ctx, d.ID)
					fyne.Do(func() {
						if err != nil {
							showProblem(win, app.ProblemOf(err))
							return
						}
						inform(win, lang.L("devices.title"), lang.L("devices.signed_out", map[string]any{"Device": d.Device}))
						reload()
					})
				})
			})
			list.Add(container.NewVBox(widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
				wrapped(since+" · "+levelName(d.LevelOfAssurance)), container.NewHBox(out)))
		}
		list.Refresh()
		win.Content().Refresh() // the cards below move with the list's height
	}
	reload = func() {
		if s.Account == nil || !s.Account.SignedIn() {
			return
		}
		call(s, func(ctx context.Context) {
			devices, err := s.Devices.List(ctx)
			if err != nil {
				return // the card keeps what it showed; the connection banner says why
			}
			fyne.Do(func() { show(devices) })
		})
	}
	pair := widget.NewButtonWithIcon(lang.L("devices.pair"), phoneIcon, func() {
		call(s, func(ctx context.Context) {
			p, err := s.Devices.Pair(ctx)
			fyne.Do(func() {
				if err != nil {
					showProblem(win, app.ProblemOf(err))
					return
				}
				showPairing(win, p, "devices.pair_title", "devices.pair_body").SetOnClosed(reload)
			})
		})
	})
	if s.Account != nil {
		whileDrawn(s, s.Account.OnChange(reload))
	}
	reload()
	return titledCard(lang.L("devices.title"), "", container.NewVBox(wrapped(lang.L("devices.body")), container.NewHBox(pair), list))
}
