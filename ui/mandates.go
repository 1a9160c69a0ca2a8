package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/app/signin"
)

// newMandatesCard is the Profile's register of mandates (P15): the
// mandates the person gave, each with its scope, period, state and a
// Revoke button, those they hold, and a form to give one.
func newMandatesCard(win fyne.Window, s *app.Session) fyne.CanvasObject {
	given, held := container.NewVBox(), container.NewVBox()
	run := func(work func(ctx context.Context) error) {
		perform(win, s, func(ctx context.Context) func() {
			if err := work(ctx); err != nil {
				return func() { showProblem(win, mandateProblem(err)) }
			}
			return nil
		})
	}
	listen(s, s.Mandates.Loads, func() {
		list := s.Mandates.List()
		given.Objects, held.Objects = nil, nil
		for _, m := range list.Given {
			row := container.NewVBox(wrapped(mandateLine(s, m.RepresentativeName, m.Representative, m)))
			if m.Company { // registered by an administrator for a company
				row.Add(wrapped(lang.L("mandates.for_company", map[string]any{"Name": m.RepresentedName, "ID": m.Represented})))
			}
			if m.Status == "active" || m.Status == "not_yet_valid" {
				id := m.ID
				row.Add(container.NewHBox(widget.NewButtonWithIcon(lang.L("mandates.revoke"), theme.CancelIcon(), func() {
					run(func(ctx context.Context) error { return s.Mandates.Revoke(ctx, id) })
				})))
			}
			given.Add(row)
		}
		if len(list.Given) == 0 {
			given.Add(wrapped(lang.L("mandates.none_given")))
		}
		for _, m := range list.Held {
			held.Add(wrapped(mandateLine(s, m.RepresentedName, m.Represented, m)))
		}
		if len(list.Held) == 0 {
			held.Add(wrapped(lang.L("mandates.none_held")))
		}
		given.Refresh()
		held.Refresh()
	})
	form := newMandateForm(s, false, func(f app.MandateForm, done func()) {
		run(func(ctx context.Context) error {
			_, err := s.Mandates.Give(ctx, f)
			if err == nil {
				fyne.Do(done)
			}
			return err
		})
	})
	return titledCard(lang.L("mandates.title"), "", container.NewVBox(
		wrapped(lang.L("mandates.body")),
		heading(lang.L("mandates.given")), given,
		heading(lang.L("mandates.held")), held,
		heading(lang.L("mandates.give")), form,
	))
}

// heading is a bold line over a part of a card.
func heading(text string) *widget.Label {
	l := wrapped(text)
	l.TextStyle.Bold = true
	return l
}

// mandateLine describes a mandate for the other party name (id): its
// scope (the services by name), period and state.
func mandateLine(s *app.Session, name, id string, m api.Mandate) string {
	scope := lang.L("mandates.all_services")
	if len(m.Services) > 0 {
		names := make([]string, len(m.Services))
		for i, svc := range m.Services {
			names[i] = s.Mandates.ServiceName(svc, s.Language.Code())
		}
		scope = strings.Join(names, ", ")
	}
	return lang.L("mandates.line", map[string]any{
		"Name": name, "ID": id, "Scope": scope,
		"From": m.ValidFrom.Local().Format(time.DateOnly), "Until": m.ValidUntil.Local().Add(-time.Second).Format(time.DateOnly),
		"Status": lang.L("mandates.status_" + m.Status),
	})
}

// mandateProblem is the message for a failed give or revoke: a typed date
// that is not a date gets its own sentence.
func mandateProblem(err error) app.Problem {
	if strings.Contains(err.Error(), app.ErrBadDate.Error()) {
		return app.Problem{Code: "invalid_input", Text: lang.L("mandates.bad_date")}
	}
	return app.ProblemOf(err)
}

// personIDHint is the placeholder of a person's identifier in a form the
// signed-in person fills: eIDAS's "issuer/destination/code", with the
// countries of their own identifier (a representative or colleague is
// most often of the same country; it said LV/LV to an Estonian), LV/LV
// when it has none.
func personIDHint(s *app.Session) string {
	var me signin.Person
	if s.Account != nil {
		me, _ = s.Account.Person()
	}
	return lang.L("form.person_id_hint", map[string]any{"Countries": idCountries(me.Identifier)})
}

// idCountries is the "XX/YY" start of an eIDAS identifier, "LV/LV" when
// id is not one.
func idCountries(id string) string {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) == 3 && len(parts[0]) == 2 && len(parts[1]) == 2 && parts[2] != "" {
		return parts[0] + "/" + parts[1]
	}
	return "LV/LV"
}

// newMandateForm is the form to give a mandate: who may act (identifier
// and name), for a company when company is set (administrators), for
// which services (all, or those ticked) and from when to when. submit
// gets the form and a function that clears it once given.
func newMandateForm(s *app.Session, company bool, submit func(app.MandateForm, func())) fyne.CanvasObject {
	repID, repName := widget.NewEntry(), widget.NewEntry()
	repID.SetPlaceHolder(personIDHint(s))
	orgID, orgName := widget.NewEntry(), widget.NewEntry()
	orgID.SetPlaceHolder(lang.L("form.company_id_hint"))
	from, until := widget.NewEntry(), widget.NewEntry()
	from.SetPlaceHolder(lang.L("form.date_hint"))
	until.SetPlaceHolder(lang.L("form.date_hint"))
	status := wrapped("")
	status.Importance = widget.SuccessImportance
	status.Hide()
	// The services to tick, one row each with a label that wraps (a
	// CheckGroup's long names would widen a phone's screen).
	services := container.NewVBox()
	services.Hide()
	chosen := map[string]bool{}
	all, only := lang.L("mandates.all_services"), lang.L("mandates.only_services")
	scope := widget.NewRadioGroup([]string{all, only}, func(v string) {
		if v != only {
			services.Hide()
			return
		}
		services.Show()
		call(s, func(ctx context.Context) {
			list, err := s.Mandates.Services(ctx)
			if err != nil {
				return
			}
			fyne.Do(func() {
				services.Objects = nil
				for _, svc := range list {
					id := svc.ID
					check := widget.NewCheck("", func(on bool) { chosen[id] = on })
					check.SetChecked(chosen[id])
					services.Add(newBorder(nil, nil, check, nil, wrapped(svc.Name.In(s.Language.Code()))))
				}
				services.Refresh()
			})
		})
	})
	// reset empties the form: no one named, all services, from today for
	// a year.
	reset := func() {
		for _, e := range []*widget.Entry{repID, repName, orgID, orgName} {
			e.SetText("")
		}
		from.SetText(time.Now().Format(time.DateOnly))
		until.SetText(time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
		clear(chosen)
		scope.SetSelected(all)
	}
	reset()
	if s.Account != nil { // the next person starts from an empty form
		whileDrawn(s, s.Account.OnChange(func() {
			fyne.Do(func() {
				repID.SetPlaceHolder(personIDHint(s)) // the new person's countries
				if !s.Account.SignedIn() {
					reset()
					status.Hide()
				}
			})
		}))
	}
	items := []*widget.FormItem{}
	if company {
		items = append(items, widget.NewFormItem(lang.L("mandates.company_id"), orgID), widget.NewFormItem(lang.L("mandates.company_name"), orgName))
	}
	items = append(items,
		widget.NewFormItem(lang.L("mandates.representative_id"), repID),
		widget.NewFormItem(lang.L("mandates.representative_name"), repName),
		widget.NewFormItem(lang.L("mandates.scope"), container.NewVBox(scope, services)),
		widget.NewFormItem(lang.L("mandates.from"), from),
		widget.NewFormItem(lang.L("mandates.until"), until),
	)
	label := lang.L("mandates.give_button")
	if company {
		label = lang.L("admin.company_mandate_button")
	}
	give := newWrapButton(label, theme.ConfirmIcon(), func() {
		f := app.MandateForm{Representative: repID.Text, RepresentativeName: repName.Text, From: from.Text, Until: until.Text}
		if company {
			f.Represented, f.RepresentedName = orgID.Text, orgName.Text
		}
		if scope.Selected == only {
			for id, on := range chosen {
				if on {
					f.Services = append(f.Services, id)
				}
			}
		}
		// Said under the button: the list of mandates may be out of view
		// (the administrator's form is a card below it).
		given := lang.L("mandates.given_done", map[string]any{"Representative": strings.TrimSpace(f.RepresentativeName), "Until": strings.TrimSpace(f.Until)})
		if company {
			given = lang.L("admin.company_mandate_given", map[string]any{"Representative": strings.TrimSpace(f.RepresentativeName),
				"Company": strings.TrimSpace(f.RepresentedName), "Until": strings.TrimSpace(f.Until)})
		}
		status.Hide()
		submit(f, func() {
			reset()
			status.SetText(given)
			status.Show()
		})
	})
	return container.NewVBox(newFacts(items...), buttons(give), status)
}
