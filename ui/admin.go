package ui

import (
	"cmp"
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
		perform(win, s, func(ctx context.Context) func() {
			if err := work(ctx); err != nil {
				return func() { showProblem(win, mandateProblem(err)) }
			}
			return done
		})
	}
	// The catalogue's institutions: a clerk's is chosen among them by name
	// (typed by hand, a typo made a clerk of none, with an empty queue).
	institution := widget.NewSelect(nil, nil)
	institution.PlaceHolder = lang.L("admin.institution_choose")
	idOf, nameOf := map[string]string{}, map[string]string{}
	roles := container.NewVBox()
	drawRoles := func() {
		roles.Objects = nil
		for _, r := range s.Admin.Roles() {
			who := namedPerson(r.Name, r.Subject)
			text := lang.L("admin.role_administrator_line", map[string]any{"ID": who})
			if r.Role == api.RoleClerk {
				text = lang.L("admin.role_clerk_line", map[string]any{"ID": who, "Institution": cmp.Or(nameOf[r.Institution], r.Institution)})
			}
			subject := r.Subject
			roles.Add(newBorder(nil, nil, nil,
				widget.NewButtonWithIcon(lang.L("admin.remove"), theme.DeleteIcon(), func() {
					run(func(ctx context.Context) error { return s.Admin.Remove(ctx, subject) }, nil)
				}), wrapped(text)))
		}
		if len(roles.Objects) == 0 {
			roles.Add(wrapped(lang.L("admin.no_roles")))
		}
		roles.Refresh()
	}
	listen(s, s.Admin.Loads, drawRoles)
	loadInstitutions := func() {
		call(s, func(ctx context.Context) {
			list, err := s.Catalogue.Institutions(ctx, s.Language.Code())
			fyne.Do(func() {
				if err != nil {
					showProblem(win, app.ProblemOf(err))
					return
				}
				var names []string
				for _, i := range list {
					option := i.Name + " · " + countryName(i.Country) // "Civil registry office" is Estonia's
					idOf[option], nameOf[i.ID] = i.ID, i.Name
					names = append(names, option)
				}
				institution.SetOptions(names)
				drawRoles()
			})
		})
	}

	person := widget.NewEntry()
	person.SetPlaceHolder(personIDHint(s))
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
		r, of := api.RoleClerk, idOf[institution.Selected]
		if role.Selected == administrator {
			r, of = api.RoleAdministrator, ""
		}
		run(func(ctx context.Context) error { return s.Admin.Assign(ctx, person.Text, r, of) }, func() {
			person.SetText("")
			institution.ClearSelected()
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
			loadInstitutions()
		} else {
			card.Hide()
		}
	}
	show()
	listen(s, s.Admin.Allowed, show)
	return card
}
