package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// MandateRegisterAPI gives, lists and revokes mandates; *client.Client
// satisfies it.
type MandateRegisterAPI interface {
	MandatesAPI
	GiveMandate(ctx context.Context, in api.NewMandate) (*api.Mandate, error)
	RevokeMandate(ctx context.Context, id string) (*api.Mandate, error)
}

// ErrBadDate: a date typed in a form is not YYYY-MM-DD.
var ErrBadDate = errors.New("the date is not YYYY-MM-DD")

// Mandates is the Profile's register of mandates (P15): those the person
// gave (an administrator: also those registered for companies) and those
// they hold. Giving and revoking reload the list and the acting-as
// switcher.
type Mandates struct {
	api      MandateRegisterAPI
	services CatalogueAPI
	acting   *Acting

	mu   sync.Mutex
	list api.MandateList
	// names are the names of the services the mandates are limited to.
	names map[string]catalogue.Text
	// Loads counts the loads of the list; listeners redraw from List.
	Loads binding.Int
	loads int
}

// NewMandates returns the register over a; services lists the catalogue
// for the scope of a mandate, acting is refreshed after each change.
func NewMandates(a MandateRegisterAPI, services CatalogueAPI, acting *Acting) *Mandates {
	return &Mandates{api: a, services: services, acting: acting, Loads: binding.NewInt()}
}

// Refresh loads the person's mandates.
func (m *Mandates) Refresh(ctx context.Context) error {
	list, err := m.api.Mandates(ctx)
	if err != nil {
		return err
	}
	names, err := m.serviceNames(ctx, *list)
	if err != nil {
		return err
	}
	m.set(*list, names)
	return nil
}

// serviceNames are the names of the services list's mandates are limited
// to, from the catalogue (nil when none is limited).
func (m *Mandates) serviceNames(ctx context.Context, list api.MandateList) (map[string]catalogue.Text, error) {
	limited := false
	for _, md := range slices.Concat(list.Given, list.Held) {
		limited = limited || len(md.Services) > 0
	}
	if !limited {
		return nil, nil
	}
	services, err := m.Services(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string]catalogue.Text, len(services))
	for _, svc := range services {
		names[svc.ID] = svc.Name
	}
	return names, nil
}

// ServiceName is the name in language code of service id, which a listed
// mandate is limited to; the id itself if the catalogue no longer has it.
func (m *Mandates) ServiceName(id, code string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if name := m.names[id].In(code); name != "" {
		return name
	}
	return id
}

// Clear forgets the list (after sign-out).
func (m *Mandates) Clear() { m.set(api.MandateList{}, nil) }

func (m *Mandates) set(list api.MandateList, names map[string]catalogue.Text) {
	m.mu.Lock()
	m.list, m.names = list, names
	m.loads++
	n := m.loads
	m.mu.Unlock()
	fyne.DoAndWait(func() { _ = m.Loads.Set(n) })
}

// List returns the mandates last loaded.
func (m *Mandates) List() api.MandateList {
	m.mu.Lock()
	defer m.mu.Unlock()
	return api.MandateList{Held: append([]api.Mandate(nil), m.list.Held...), Given: append([]api.Mandate(nil), m.list.Given...)}
}

// Services lists the catalogue's services a mandate may be limited to.
func (m *Mandates) Services(ctx context.Context) ([]catalogue.Service, error) {
	return m.services.Services(ctx, catalogue.Query{})
}

// MandateForm is what a person types to give a mandate. Services empty
// means all services; From and Until are days (YYYY-MM-DD): the mandate
// runs from the start of From to the end of Until, in local time. An
// administrator names a company in Represented and RepresentedName.
type MandateForm struct {
	Representative, RepresentativeName string
	Represented, RepresentedName       string
	Services                           []string
	From, Until                        string
}

// Give registers the mandate of form and reloads the list.
func (m *Mandates) Give(ctx context.Context, form MandateForm) (*api.Mandate, error) {
	in := api.NewMandate{
		Representative: strings.TrimSpace(form.Representative), RepresentativeName: strings.TrimSpace(form.RepresentativeName),
		Represented: strings.TrimSpace(form.Represented), RepresentedName: strings.TrimSpace(form.RepresentedName),
		Services: form.Services,
	}
	from, err := parseDay(form.From)
	if err != nil {
		return nil, err
	}
	until, err := parseDay(form.Until)
	if err != nil {
		return nil, err
	}
	if !from.IsZero() && from.After(time.Now()) {
		in.ValidFrom = from // from today: now, so it can be used at once
	}
	if !until.IsZero() {
		in.ValidUntil = until.AddDate(0, 0, 1) // to the end of that day
	}
	out, err := m.api.GiveMandate(ctx, in)
	if err != nil {
		return nil, err
	}
	return out, m.reload(ctx)
}

// Revoke ends mandate id and reloads the list.
func (m *Mandates) Revoke(ctx context.Context, id string) error {
	if _, err := m.api.RevokeMandate(ctx, id); err != nil {
		return err
	}
	return m.reload(ctx)
}

func (m *Mandates) reload(ctx context.Context) error {
	if err := m.Refresh(ctx); err != nil {
		return err
	}
	if m.acting != nil {
		return m.acting.Refresh(ctx)
	}
	return nil
}

// parseDay reads a YYYY-MM-DD day in local time; "" is the zero time.
func parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrBadDate, s)
	}
	return t, nil
}
