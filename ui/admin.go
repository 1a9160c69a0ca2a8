package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// newAdminCard is the administrator's part of the Profile, shown only
// while the service accepts the signed-in person as an administrator:
// the clerk and administrator roles (assign, remove) and the mandates
// registered for companies.
func newAdminCard(win fyne.Window, s *app.Session) fyne.CanvasObject {
	run := func(work func(ctx context.Context) error, done func()) {
		call(s, func(ctx context.Context) {
			if err := work(ctx); err != nil {
				fyne.Do(func() { showProblem(win, mandateProblem(err)) })
			} else if done != nil {
				fyne.Do(done)
			}
		})
	}
	roles := container.NewVBox()
	s.Admin.Loads.AddListener(binding.NewDataListener(func() {
		roles.Objects = nil
		for _, r := range s.Admin.Roles() {
			text := lang.L("admin.role_administrator_line", map[string]any{"ID": r.Subject})
			if r.Role == api.RoleClerk {
				text = lang.L("admin.role_clerk_line", map[string]any{"ID": r.Subject, "Institution": r.Institution})
			}
			subject := r.Subject
			roles.Add(container.NewBorder(nil, nil, nil,
				widget.NewButtonWithIcon(lang.L("admin.remove"), theme.DeleteIcon(), func() {
					run(func(ctx context.Context) error { return s.Admin.Remove(ctx, subject) }, nil)
				}), wrapped(text)))
		}
		if len(roles.Objects) == 0 {
			roles.Add(wrapped(lang.L("admin.no_roles")))
		}
		roles.Refresh()
	}))

	person, institution := widget.NewEntry(), widget.NewEntry()
	person.SetPlaceHolder(lang.L("form.person_id_hint"))
	institution.SetPlaceHolder("LV-UR")
	clerk, administrator := lang.L("admin.role_clerk"), lang.L("admin.role_administrator")
	role := widget.NewRadioGroup([]string{clerk, administrator}, func(v string) {
		if v == clerk {
			institution.Enable()
		} else {
			institution.Disable()
		}
	})
	role.SetSelected(clerk)
	assign := widget.NewButtonWithIcon(lang.L("admin.assign"), theme.ConfirmIcon(), func() {
		r := api.RoleClerk
		if role.Selected == administrator {
			r = api.RoleAdministrator
		}
		run(func(ctx context.Context) error { return s.Admin.Assign(ctx, person.Text, r, institution.Text) }, func() {
			person.SetText("")
			institution.SetText("")
		})
	})
	assignForm := container.NewVBox(newFacts(
		widget.NewFormItem(lang.L("admin.person"), person),
		widget.NewFormItem(lang.L("admin.role"), role),
		widget.NewFormItem(lang.L("admin.institution"), institution),
	), container.NewHBox(assign))

	var companyForm fyne.CanvasObject = wrapped("")
	if s.Mandates != nil {
		companyForm = newMandateForm(s, true, func(f app.MandateForm, done func()) {
			run(func(ctx context.Context) error { _, err := s.Mandates.Give(ctx, f); return err }, done)
		})
	}
	card := titledCard(lang.L("admin.title"), "", container.NewVBox(
		wrapped(lang.L("admin.body")),
		heading(lang.L("admin.roles")), roles,
		heading(lang.L("admin.assign_title")), assignForm,
		heading(lang.L("admin.company_mandates")), wrapped(lang.L("admin.company_mandates_body")), companyForm,
		buttons(feedbackButton(win, s)),
	))
	show := func() {
		if ok, _ := s.Admin.Allowed.Get(); ok {
			card.Show()
		} else {
			card.Hide()
		}
	}
	show()
	s.Admin.Allowed.AddListener(binding.NewDataListener(show))
	return card
}
