package app

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/catalogue"
)

// Catalogue is the view model of the services screen: the search, its
// results and the filters offered.
type Catalogue struct {
	api CatalogueAPI
	log *slog.Logger

	// Results holds the services found, as catalogue.Service values.
	Results binding.UntypedList
	// Busy is true while a search runs.
	Busy binding.Bool
	// Problem is a translated message when the last search failed, else
	// ""; ProblemCode names its help centre page.
	Problem     binding.String
	ProblemCode binding.String
	// conn hears whether the service answered.
	conn *Connection

	mu     sync.Mutex
	facets *catalogue.Facets
	seq    int
}

// NewCatalogue returns the view model over api; failures are logged to log.
func NewCatalogue(api CatalogueAPI, log *slog.Logger) *Catalogue {
	return &Catalogue{
		api:         api,
		log:         log,
		Results:     binding.NewUntypedList(),
		Busy:        binding.NewBool(),
		Problem:     binding.NewString(),
		ProblemCode: binding.NewString(),
	}
}

// Search runs q and publishes the results. When searches overlap (a user
// typing), only the newest one's answer is shown.
func (c *Catalogue) Search(ctx context.Context, q catalogue.Query) error {
	c.mu.Lock()
	c.seq++
	mine := c.seq
	c.mu.Unlock()
	fyne.DoAndWait(func() { _ = c.Busy.Set(true) })

	list, err := c.search(ctx, q)
	if err != nil && !calledOff(err) {
		c.log.Warn("catalogue search failed", "query", q.Text, "category", q.Category, "country", q.Country, "err", err)
	}
	c.conn.Report("search", err, func() { c.retry(q) })

	c.mu.Lock()
	latest := mine == c.seq
	c.mu.Unlock()
	if !latest {
		return err
	}
	if calledOff(err) { // its caller gave it up: what is shown stays
		fyne.DoAndWait(func() { _ = c.Busy.Set(false) })
		return err
	}
	fyne.DoAndWait(func() {
		_ = c.Busy.Set(false)
		p := ProblemOf(err)
		_ = c.Problem.Set(p.Text)
		_ = c.ProblemCode.Set(p.Code)
		if err != nil {
			return // the results shown stay, and the banner marks them as the earlier copy
		}
		items := make([]any, len(list))
		for i := range list {
			items[i] = list[i]
		}
		_ = c.Results.Set(items)
	})
	return err
}

// retry runs q again after the service was unavailable.
func (c *Catalogue) retry(q catalogue.Query) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = c.Search(ctx, q)
}

func (c *Catalogue) search(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return c.api.Services(ctx, q)
}

// Service fetches one service for the detail screen.
func (c *Catalogue) Service(ctx context.Context, id string) (*catalogue.Service, error) {
	return c.api.Service(ctx, id)
}

// Named fetches the services with the given ids, in that order; those
// that cannot be fetched are left out (an offer names what it can).
func (c *Catalogue) Named(ctx context.Context, ids []string) []catalogue.Service {
	var out []catalogue.Service
	for _, id := range ids {
		if svc, err := c.api.Service(ctx, id); err == nil {
			out = append(out, *svc)
		}
	}
	return out
}

// InstitutionName names the authority id in language code by the
// catalogue's services it provides; id itself when it provides none (or
// the catalogue cannot be read).
func (c *Catalogue) InstitutionName(ctx context.Context, id, code string) string {
	list, _ := c.Institutions(ctx, code)
	if i := slices.IndexFunc(list, func(i Institution) bool { return i.ID == id }); i >= 0 {
		return list[i].Name
	}
	return id
}

// Institution is an authority that provides services of the catalogue,
// in Country (ISO 3166 alpha-2).
type Institution struct{ ID, Name, Country string }

// Institutions lists the authorities that provide the catalogue's
// services, named in language code, sorted by name.
func (c *Catalogue) Institutions(ctx context.Context, code string) ([]Institution, error) {
	list, err := c.search(ctx, catalogue.Query{})
	if err != nil {
		return nil, err
	}
	var out []Institution
	for _, svc := range list {
		if !slices.ContainsFunc(out, func(i Institution) bool { return i.ID == svc.Provider.ID }) {
			out = append(out, Institution{ID: svc.Provider.ID, Name: svc.Provider.Name.In(code), Country: svc.Country})
		}
	}
	slices.SortFunc(out, func(a, b Institution) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// EvidenceCountries returns the countries in which the Evidence Broker
// knows evidence for requirement: the only ones the user is offered.
func (c *Catalogue) EvidenceCountries(ctx context.Context, requirement string) ([]string, error) {
	list, err := c.api.EvidenceCountries(ctx, requirement)
	if err != nil {
		c.log.Warn("looking up the countries of a requirement failed", "requirement", requirement, "err", err)
	}
	return list, err
}

// Facets returns the filters offered, fetched once.
func (c *Catalogue) Facets(ctx context.Context) (*catalogue.Facets, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.facets != nil {
		return c.facets, nil
	}
	f, err := c.api.Facets(ctx)
	if err != nil {
		c.log.Warn("loading catalogue filters failed", "err", err)
		return nil, err
	}
	c.facets = f
	return f, nil
}

// ServiceCache reads catalogue services by id, each once: the catalogue
// does not change while the app runs. A service that could not be read is
// read again when next asked for.
type ServiceCache struct {
	read  func(ctx context.Context, id string) (*catalogue.Service, error)
	mu    sync.Mutex
	known map[string]*catalogue.Service
}

// NewServiceCache returns a cache over read.
func NewServiceCache(read func(ctx context.Context, id string) (*catalogue.Service, error)) *ServiceCache {
	return &ServiceCache{read: read, known: map[string]*catalogue.Service{}}
}

// Get returns the service id, nil when it cannot be read.
func (c *ServiceCache) Get(ctx context.Context, id string) *catalogue.Service {
	if svc, ok := c.Known(id); ok {
		return svc
	}
	svc, err := c.read(ctx, id)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	c.known[id] = svc
	c.mu.Unlock()
	return svc
}

// Known returns the service id when it was read already.
func (c *ServiceCache) Known(id string) (*catalogue.Service, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	svc, ok := c.known[id]
	return svc, ok
}
