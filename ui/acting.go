package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// newActingBar is the header's acting-as switcher: shown to a person who
// holds mandates, it chooses for whom new requests are made and, while
// acting for someone, says so above every screen.
func newActingBar(s *app.Session) fyne.CanvasObject {
	choice := widget.NewSelect(nil, nil)
	var ids []string
	banner := acting("", false) // the Label listener below names the person
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	box := container.NewStack(bg, container.NewVBox(newWrapRow(widget.NewLabel(lang.L("acting.as")), choice), banner))
	box.Hide()
	setting := false
	choice.OnChanged = func(string) {
		if i := choice.SelectedIndex(); i >= 0 && !setting {
			s.Acting.Set(ids[i])
		}
	}
	listen(s, s.Acting.Choices, func() {
		held := s.Acting.Held()
		options := []string{lang.L("acting.myself")}
		ids = []string{""}
		for _, m := range held {
			key := "acting.for"
			if m.Company {
				key = "acting.for_company"
			}
			options = append(options, lang.L(key, map[string]any{"Name": m.RepresentedName, "ID": m.Represented}))
			ids = append(ids, m.ID)
		}
		setting = true
		choice.SetOptions(options)
		choice.SetSelectedIndex(0)
		for i, id := range ids {
			if id == s.Acting.MandateID() {
				choice.SetSelectedIndex(i)
			}
		}
		setting = false
		if len(held) == 0 {
			box.Hide()
		} else {
			box.Show()
		}
		relayout(box)
	})
	listen(s, s.Acting.Label, func() {
		name, _ := s.Acting.Label.Get()
		banner.SetText(actingText(name, s.Acting.ForCompany()))
		if name == "" {
			banner.Hide()
		} else {
			banner.Show()
		}
		relayout(box)
	})
	return box
}

// actingText says for whom new requests are made: a person, or a company
// (in Latvian a company is no "persona").
func actingText(name string, company bool) string {
	if company {
		return lang.L("acting.banner_company", map[string]any{"Name": name})
	}
	return lang.L("acting.banner", map[string]any{"Name": name})
}

// acting is the line that says for whom new requests are made, as the
// header's banner shows it.
func acting(name string, company bool) *widget.Label {
	l := wrapped(actingText(name, company))
	l.Importance = widget.HighImportance
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// actsFor reports whether the person signed in made req for someone else
// under a mandate (api.Request names people "Name (identifier)").
func actsFor(s *app.Session, req *api.Request) bool {
	if s.Account == nil || req.Representative == "" {
		return false
	}
	me, ok := s.Account.Person()
	return ok && strings.HasSuffix(req.Representative, "("+me.Identifier+")")
}

// representedLine says who made a request for whom, for a request made
// under a mandate (a company's, when the person holds it as such); ""
// otherwise.
func representedLine(s *app.Session, req *api.Request) string {
	if req.Representative == "" {
		return ""
	}
	key := "acting.request"
	if m, ok := s.Acting.MandateOf(req); ok && m.Company {
		key = "acting.request_company"
	}
	return lang.L(key, map[string]any{"Representative": req.Representative, "Citizen": req.Citizen})
}
