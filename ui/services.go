package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/catalogue"
)

// searchDelay is how long typing must pause before a search runs.
const searchDelay = 250 * time.Millisecond

// searchTimeout bounds one search.
const searchTimeout = 10 * time.Second

// ServicesScreen is the catalogue: search, filters, results, and the
// detail of a service pushed on top.
type ServicesScreen struct {
	widget.BaseWidget

	model    *app.Catalogue
	lang     *app.Language
	win      fyne.Window
	requests *app.Requests
	wallet   *app.Wallet
	links    *app.Links
	sess     *app.Session
	// onRequested opens a request the user just started.
	onRequested func(id string)
	delay       time.Duration // pause in typing before a search; 0 searches at once

	nav      *pages
	Search   *widget.Entry
	Category *widget.Select
	Country  *widget.Select
	Results  *widget.List
	count    *widget.Label

	// shown is the service whose page is open, page that page and drawn
	// what the page was drawn from (pageState).
	shown *catalogue.Service
	page  fyne.CanvasObject
	drawn string

	mu         sync.Mutex
	timer      *time.Timer
	categories []catalogue.Category
	countries  []string
}

// NewServicesScreen builds the catalogue screen and runs the first search.
func NewServicesScreen(win fyne.Window, sess *app.Session, onRequested func(id string)) *ServicesScreen {
	model := sess.Catalogue
	s := &ServicesScreen{model: model, lang: sess.Language, win: win, delay: searchDelay,
		requests: sess.Requests, wallet: sess.Wallet, links: sess.Links, sess: sess, onRequested: onRequested}
	s.ExtendBaseWidget(s)

	s.Search = widget.NewEntry()
	s.Search.OnChanged = func(string) { s.searchSoon() }
	s.Search.OnSubmitted = func(string) { s.searchNow() }

	s.Category = widget.NewSelect([]string{lang.L("services.all_categories")}, func(string) { s.searchNow() })
	s.Category.SetSelectedIndex(0)
	s.Country = widget.NewSelect([]string{lang.L("services.all_countries")}, func(string) { s.searchNow() })
	s.Country.SetSelectedIndex(0)

	s.count = widget.NewLabel("")
	problem := newProblemLabel(win, sess, model.Problem, model.ProblemCode)
	busy := newBusyBar()
	listen(sess, model.Busy, func() {
		b, _ := model.Busy.Get()
		busy.set(b)
		if b { // the bar takes the count's place: the list does not move
			s.count.Hide()
		} else {
			s.count.Show()
		}
	})

	var results fyne.CanvasObject
	s.Results, results = newValueList(sess, model.Results, newTwoLineRow, s.updateRow)
	s.Results.OnSelected = func(id widget.ListItemID) {
		s.Results.Unselect(id)
		item, err := model.Results.GetValue(id)
		if svc, ok := item.(catalogue.Service); ok && err == nil {
			s.showService(svc)
		}
	}
	listen(sess, model.Results, s.updateCount)

	filters := container.New(&sideBySide{}, s.Category, s.Country)
	// The search comes first: on a phone at a large text size the header
	// scrolls (newCappedHeader), and the search is what most people came
	// for; those who come from a portal find its code's place under it.
	top := container.NewVBox(searchBox(s.Search, "services.search_placeholder", "services.search_hint"), filters, handoffBar(win, sess, onRequested), problem, container.NewStack(s.count, busy))
	list := newCappedHeader(top, results, 0.5)
	s.nav = newPages(list, lang.L("services.title"))

	// The open service page follows what the wallet holds and for whom
	// the person acts.
	onChange(sess, s.wallet.Loads, s.followHoldings)
	onChange(sess, sess.Acting.Label, s.followHoldings)
	onChange(sess, s.requests.Loads, s.followHoldings)

	s.sess.Background(s.loadFacets)
	s.searchNow()
	return s
}

// showService pushes the page of svc.
func (s *ServicesScreen) showService(svc catalogue.Service) {
	s.nav.Open(s.servicePage(svc), svc.Name.In(s.lang.Code()))
}

// servicePage draws the page of svc and remembers it as the open one.
func (s *ServicesScreen) servicePage(svc catalogue.Service) fyne.CanvasObject {
	status := evidenceStatus{held: s.holding, latest: func(requirement string) (api.Request, bool) { return s.latest(svc.ID, requirement) }, openRequest: s.onRequested}
	detail := NewServiceDetail(svc, s.lang.Code(), s.categoryName(svc.Category), s.sess.Acting.ForCompany(), s.askForEvidence, status)
	s.shown, s.drawn = &svc, s.pageState(svc)
	s.page = newBorder(nil, container.NewHBox(copyLinkButton(s.win, s.links, app.ServiceLink(svc.ID))), nil, nil, detail)
	return s.page
}

// holding is the wallet's newest document that meets requirement, of
// the person acted for: the wallet holds the person's own documents and
// those they asked for others (Līga's birth record was offered for
// Jānis's application).
func (s *ServicesScreen) holding(requirement string) (app.WalletItem, bool) {
	return s.wallet.Holding(requirement, s.sess.Acting.Represented())
}

// latest is the newest request for requirement of service, made for the
// person acted for.
func (s *ServicesScreen) latest(service, requirement string) (api.Request, bool) {
	return s.requests.Latest(service, requirement, s.sess.Acting.Represented(), s.sess.Acting.SubjectOf)
}

// followHoldings redraws the open service page when what it was drawn
// from changed: a page left open while its evidence arrived offered to ask
// for it again.
func (s *ServicesScreen) followHoldings() {
	if s.shown == nil || s.nav.Depth() == 0 || s.nav.Top() != s.page || s.pageState(*s.shown) == s.drawn {
		return
	}
	s.nav.Replace(s.servicePage(*s.shown), s.nav.Title())
}

// pageState names what the page of svc shows that can change while it is
// open: the wallet's documents that meet its evidence, the latest
// requests for it and where they stand, and whether the person acts for a
// company (which of its evidence they may ask for).
func (s *ServicesScreen) pageState(svc catalogue.Service) string {
	var b strings.Builder
	fmt.Fprintf(&b, "company=%t;", s.sess.Acting.ForCompany())
	for _, e := range svc.Evidence {
		if it, ok := s.holding(e.Requirement); ok {
			fmt.Fprintf(&b, "%s/%d", it.RequestID, it.Index)
		}
		if req, ok := s.latest(svc.ID, e.Requirement); ok {
			fmt.Fprintf(&b, "+%s/%s", req.ID, app.ShownState(&req))
		}
		b.WriteByte(';')
	}
	return b.String()
}

// OpenService shows the page of the service with id on top of the list
// (an offer on a request's page leads here).
func (s *ServicesScreen) OpenService(id string) {
	call(s.sess, func(ctx context.Context) {
		svc, err := s.model.Service(ctx, id)
		if err != nil {
			return
		}
		fyne.Do(func() { s.showService(*svc) })
	})
}

// AskForEvidence shows the page of the service with id and asks which
// country should give its evidence requirement (see askForEvidence).
func (s *ServicesScreen) AskForEvidence(id, requirement string) {
	call(s.sess, func(ctx context.Context) {
		svc, err := s.model.Service(ctx, id)
		if err != nil {
			fyne.Do(func() { showProblem(s.win, app.ProblemOf(err)) })
			return
		}
		e, ok := svc.EvidenceOf(requirement)
		fyne.Do(func() {
			s.showService(*svc)
			if ok {
				s.askForEvidence(*svc, e)
			}
		})
	})
}

// CreateRenderer draws the navigation stack.
func (s *ServicesScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.nav)
}

// Navigation returns the screen's page stack (list, then detail).
func (s *ServicesScreen) Navigation() *pages { return s.nav }

// Home shows the whole catalogue: every page opened from it closed, the
// search and the filters cleared (what one looked for can say much).
func (s *ServicesScreen) Home() {
	s.nav.Home()
	if s.Search.Text != "" {
		s.Search.SetText("")
	}
	for _, filter := range []*widget.Select{s.Category, s.Country} {
		if filter.SelectedIndex() != 0 {
			filter.SetSelectedIndex(0)
		}
	}
}

func (s *ServicesScreen) updateRow(v any, obj fyne.CanvasObject) {
	svc, ok := v.(catalogue.Service)
	if !ok {
		return
	}
	code := s.lang.Code()
	setTwoLineRow(obj, svc.Name.In(code), fmt.Sprintf("%s · %s · %s",
		countryName(svc.Country), svc.Provider.Name.In(code),
		lang.N("services.days", svc.ProcessingDays, map[string]any{"Count": svc.ProcessingDays})))
}

func (s *ServicesScreen) updateCount() {
	n := s.model.Results.Length()
	if n == 0 {
		s.count.SetText(lang.L("services.none_found"))
		return
	}
	s.count.SetText(lang.N("services.found", n, map[string]any{"Count": n}))
}

// query reads the search and filters from the widgets.
func (s *ServicesScreen) query() catalogue.Query {
	q := catalogue.Query{Text: s.Search.Text}
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.Category.SelectedIndex(); i > 0 && i-1 < len(s.categories) {
		q.Category = s.categories[i-1].ID
	}
	if i := s.Country.SelectedIndex(); i > 0 && i-1 < len(s.countries) {
		q.Country = s.countries[i-1]
	}
	return q
}

// searchSoon searches once typing pauses.
func (s *ServicesScreen) searchSoon() {
	if s.delay == 0 {
		s.searchNow()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(s.delay, func() { fyne.Do(s.searchNow) })
}

// searchNow runs the search in the background; the model publishes the
// results through its bindings.
func (s *ServicesScreen) searchNow() {
	if s.Search == nil || s.Category == nil || s.Country == nil {
		return // still being built
	}
	q := s.query()
	s.sess.Background(func() {
		ctx, cancel := context.WithTimeout(s.sess.Context(), searchTimeout)
		defer cancel()
		_ = s.model.Search(ctx, q) // the model shows the error
	})
}

func (s *ServicesScreen) loadFacets() {
	ctx, cancel := context.WithTimeout(s.sess.Context(), searchTimeout)
	defer cancel()
	f, err := s.model.Facets(ctx)
	if err != nil {
		p := app.ProblemOf(err)
		fyne.Do(func() {
			_ = s.model.Problem.Set(p.Text)
			_ = s.model.ProblemCode.Set(p.Code)
		})
		return
	}
	code := s.lang.Code()
	cats := []string{lang.L("services.all_categories")}
	for _, c := range f.Categories {
		cats = append(cats, c.Name.In(code))
	}
	countries := []string{lang.L("services.all_countries")}
	for _, c := range f.Countries {
		countries = append(countries, countryName(c))
	}
	s.mu.Lock()
	s.categories, s.countries = f.Categories, f.Countries
	s.mu.Unlock()
	fyne.Do(func() {
		s.Category.SetOptions(cats)
		s.Country.SetOptions(countries)
	})
}

func (s *ServicesScreen) categoryName(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.categories {
		if c.ID == id {
			return c.Name.In(s.lang.Code())
		}
	}
	return id
}

// askForEvidence asks which country holds the evidence — offering only
// those where the Evidence Broker knows it — then starts the request and
// opens it. Evidence about a company is asked for acting for one, and
// evidence about a person acting for a person, under a mandate that covers
// the service: otherwise the dialog says how to.
func (s *ServicesScreen) askForEvidence(svc catalogue.Service, e catalogue.Evidence) {
	withPerson(s.win, s.sess, func() {
		if p, wrong := s.sess.Acting.ScopeProblem(svc.ID); wrong { // the service would refuse it
			showProblem(s.win, p)
			return
		}
		if p, wrong := s.sess.Acting.SubjectProblem(e); wrong { // the provider would not know whom it is asked about
			showProblem(s.win, p)
			return
		}
		s.chooseCountry(svc, e)
	})
}

// chooseCountry offers the countries where the Evidence Broker knows the
// evidence.
func (s *ServicesScreen) chooseCountry(svc catalogue.Service, e catalogue.Evidence) {
	call(s.sess, func(ctx context.Context) {
		countries, err := s.model.EvidenceCountries(ctx, e.Requirement)
		fyne.Do(func() {
			switch {
			case err != nil:
				showProblem(s.win, app.ProblemOf(err))
			case len(countries) == 0:
				showProblem(s.win, app.Problem{Code: "no_country", Text: lang.L("error.no_country")})
			default:
				s.pickCountry(svc, e, countries)
			}
		})
	})
}

// pickCountry is the country dialog: Start is enabled once a country is
// chosen.
func (s *ServicesScreen) pickCountry(svc catalogue.Service, e catalogue.Evidence, countries []string) {
	countries = byName(countries, countryName) // in the language shown
	names := make([]string, len(countries))
	for i, c := range countries {
		names[i] = countryName(c)
	}
	choice := widget.NewSelect(names, nil)
	choice.PlaceHolder = lang.L("request.new_choose")
	var d *dialog.CustomDialog
	start := widget.NewButtonWithIcon(lang.L("request.new_start"), theme.ConfirmIcon(), func() {
		i := choice.SelectedIndex()
		if i < 0 {
			return
		}
		d.Hide()
		s.start(svc, e, countries[i])
	})
	start.Importance = widget.HighImportance
	start.Disable()
	choice.OnChanged = func(string) { start.Enable() }
	if i := slices.Index(countries, s.sess.HomeCountry()); i >= 0 {
		choice.SetSelectedIndex(i) // the person's own country, as the portal does
	}
	back := widget.NewButton(lang.L("request.new_back"), func() { d.Hide() })
	body := container.NewVBox(
		wrapped(lang.L("request.new_body", map[string]any{"Evidence": e.Name.In(s.lang.Code())})),
		newFacts(widget.NewFormItem(lang.L("request.new_country"), choice)),
	)
	if name, _ := s.sess.Acting.Label.Get(); name != "" { // the banner is dimmed behind the dialog
		body.Objects = append([]fyne.CanvasObject{acting(name, s.sess.Acting.ForCompany())}, body.Objects...)
	}
	d = newDialog(s.win, lang.L("request.new_title"), body, back, start)
	present(s.win, d, d.Hide)
}

// start starts the request and opens it.
func (s *ServicesScreen) start(svc catalogue.Service, e catalogue.Evidence, country string) {
	perform(s.win, s.sess, func(ctx context.Context) func() {
		req, err := s.requests.Create(ctx, svc.ID, e.Requirement, country)
		return func() {
			if err != nil && signInAgain(s.win, s.sess, err, func() { s.start(svc, e, country) }) {
				return
			}
			if err != nil {
				showProblem(s.win, app.ProblemOf(err))
				return
			}
			s.onRequested(req.ID)
		}
	})
}

// countryName is the translated name of an ISO 3166 code, or the code.
func countryName(code string) string {
	return lang.X("country."+code, code)
}

// byName orders codes by their names, as a reader looks them up: accents
// and case aside ("Österreich" under O).
func byName(codes []string, name func(code string) string) []string {
	sorted := slices.Clone(codes)
	slices.SortStableFunc(sorted, func(a, b string) int {
		return strings.Compare(catalogue.Fold(name(a)), catalogue.Fold(name(b)))
	})
	return sorted
}
