package app

import (
	"context"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// MandatesAPI lists the caller's mandates; *client.Client satisfies it.
type MandatesAPI interface {
	Mandates(ctx context.Context) (*api.MandateList, error)
}

// Acting is the acting-as switcher (P15): the person acts for themselves,
// or for someone who gave them a mandate. New requests are made under the
// chosen mandate, and every screen says for whom.
type Acting struct {
	api MandatesAPI
	// prefs, when set, keeps for whom the person acts across restarts
	// (actingKey); a sign-out forgets it.
	prefs Preferences

	mu   sync.Mutex
	held []api.Mandate // active mandates the person holds
	for_ *api.Mandate  // nil: for themselves
	// Label is "" while the person acts for themselves, else the name of
	// the person acted for; Choices counts the loads of the mandates (its
	// listeners redraw the choices from Held).
	Label   binding.String
	Choices binding.Int
	loads   int
}

// actingKey is the preference holding the mandate the person acts under.
const actingKey = "acting"

// NewActing returns a switcher acting for the person themselves, or, once
// the mandates are loaded, under the mandate prefs kept (nil: none kept).
func NewActing(a MandatesAPI, prefs Preferences) *Acting {
	return &Acting{api: a, prefs: prefs, Label: binding.NewString(), Choices: binding.NewInt()}
}

// Refresh loads the active mandates the person holds; acting for someone
// whose mandate is no longer among them ends.
func (a *Acting) Refresh(ctx context.Context) error {
	list, err := a.api.Mandates(ctx)
	if err != nil {
		return err
	}
	var held []api.Mandate
	for _, m := range list.Held {
		if m.Status == "active" {
			held = append(held, m)
		}
	}
	a.mu.Lock()
	a.held = held
	keep := a.for_ != nil && containsMandate(held, a.for_.ID)
	a.mu.Unlock()
	switch kept := a.kept(); {
	case keep:
	case kept != "" && containsMandate(held, kept): // as before the restart
		a.Set(kept)
	default:
		a.Set("")
	}
	a.changed()
	return nil
}

// Clear forgets the mandates (after sign-out).
func (a *Acting) Clear() {
	a.mu.Lock()
	a.held = nil
	a.mu.Unlock()
	a.Set("")
	a.changed()
}

func (a *Acting) changed() {
	a.mu.Lock()
	a.loads++
	n := a.loads
	a.mu.Unlock()
	fyne.DoAndWait(func() { _ = a.Choices.Set(n) })
}

// Held returns the active mandates the person holds.
func (a *Acting) Held() []api.Mandate {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]api.Mandate(nil), a.held...)
}

// Set acts under the held mandate id, or for the person themselves with "".
func (a *Acting) Set(id string) {
	a.mu.Lock()
	a.for_ = nil
	for i := range a.held {
		if a.held[i].ID == id {
			a.for_ = &a.held[i]
		}
	}
	label, kept := "", ""
	if a.for_ != nil {
		label, kept = a.for_.RepresentedName, a.for_.ID
	}
	a.mu.Unlock()
	if a.prefs != nil {
		a.prefs.SetString(actingKey, kept)
	}
	fyne.DoAndWait(func() { _ = a.Label.Set(label) })
}

// kept is the mandate the preferences hold, "" for none.
func (a *Acting) kept() string {
	if a.prefs == nil {
		return ""
	}
	return a.prefs.String(actingKey)
}

// current is the mandate new requests are made under, the zero Mandate
// while the person acts for themselves.
func (a *Acting) current() api.Mandate {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.for_ == nil {
		return api.Mandate{}
	}
	return *a.for_
}

// MandateID is the mandate new requests are made under, "" for none.
func (a *Acting) MandateID() string { return a.current().ID }

// Represented is the identifier of the person or company new requests are
// made for under a mandate, "" while the person acts for themselves.
func (a *Acting) Represented() string { return a.current().Represented }

// SubjectOf is whom req is about as the wallet counts it (WalletItem.For):
// the represented person or company when the person made req under a
// mandate they hold, "" for their own (also a request someone made for
// them).
func (a *Acting) SubjectOf(req *api.Request) string {
	if m, ok := a.MandateOf(req); ok {
		return m.Represented
	}
	return ""
}

// MandateOf is the mandate req was made under when the person holds it;
// false for their own request, or one someone made for them.
func (a *Acting) MandateOf(req *api.Request) (api.Mandate, bool) {
	if req.MandateID == "" {
		return api.Mandate{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if i := slices.IndexFunc(a.held, func(m api.Mandate) bool { return m.ID == req.MandateID }); i >= 0 {
		return a.held[i], true
	}
	return api.Mandate{}, false
}

// ForCompany reports whether new requests are made for a company (under
// a company's mandate), which evidence about a company needs.
func (a *Acting) ForCompany() bool { return a.current().Company }

// SubjectProblem is the Problem of asking for e while acting as now: evidence
// about a company needs acting for one, and evidence about a person
// acting for a person; ok is false when e may be asked for.
func (a *Acting) SubjectProblem(e catalogue.Evidence) (p Problem, ok bool) {
	switch company := a.ForCompany(); {
	case e.ForCompany() && !company:
		return a.ForWhom(problemOfCode(api.CodeEvidenceForCompanies)), true
	case !e.ForCompany() && company:
		return problemOfCode(api.CodeEvidenceForPersons), true
	}
	return Problem{}, false
}

// ScopeProblem is the Problem of asking for evidence for service while
// acting as now: a mandate limited to other services does not cover it;
// ok is false when it does (or the person acts for themselves).
func (a *Acting) ScopeProblem(service string) (p Problem, ok bool) {
	if m := a.current(); len(m.Services) > 0 && !slices.Contains(m.Services, service) {
		return problemOfCode(api.CodeMandateOutOfScope), true
	}
	return Problem{}, false
}

// ForWhom adjusts p, a refused request's or code's problem, to whom the
// person may act for: told to choose a company under "Acting as", someone
// who may act for none is told who registers a company's mandate instead
// (the code would only be refused again).
func (a *Acting) ForWhom(p Problem) Problem {
	if p.Code == api.CodeEvidenceForCompanies && !a.mayActForACompany() {
		p.Text = lang.L("error.evidence_for_companies_none")
	}
	return p
}

// mayActForACompany reports whether a company's mandate is among those held.
func (a *Acting) mayActForACompany() bool {
	return slices.ContainsFunc(a.Held(), func(m api.Mandate) bool { return m.Company })
}

func containsMandate(list []api.Mandate, id string) bool {
	for _, m := range list {
		if m.ID == id {
			return true
		}
	}
	return false
}
