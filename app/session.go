// Package app is the application core of the Vienreiz app: the session,
// its use cases and view models as Fyne data bindings. It knows no
// widgets; ui/ draws what it holds. It reaches the exchange service only
// through the Go SDK (client/), behind the small interfaces below.
package app

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
)

// CatalogueAPI is what the app needs of the exchange service for the
// catalogue; *client.Client satisfies it.
type CatalogueAPI interface {
	Services(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error)
	Service(ctx context.Context, id string) (*catalogue.Service, error)
	Facets(ctx context.Context) (*catalogue.Facets, error)
	EvidenceCountries(ctx context.Context, requirement string) ([]string, error)
}

// Preferences stores small settings across runs; fyne.Preferences
// satisfies it.
type Preferences interface {
	String(key string) string
	SetString(key, value string)
}

// About describes where the app's parts run, for the profile screen.
type About struct {
	Version    string
	ServiceURL string
	DataDir    string
}

// Session is one user's running app: settings and the view models of
// every screen.
type Session struct {
	Language *Language
	// Display is the text size and contrast the user chose.
	Display *Display
	// Feedback is what the institution's clerks (or an administrator)
	// read of the feedback on finished applications.
	Feedback  *Feedback
	Catalogue *Catalogue
	Requests  *Requests
	Inbox     *Inbox
	Wallet    *Wallet
	Records   *Records
	// Connection says when the service cannot be reached, with a retry.
	Connection *Connection
	// Handoff takes over requests started on the portal; Links follows
	// direct links to screens.
	Handoff *Handoff
	Links   *Links
	// Desk is the clerk's desk, shown while a clerk is signed in
	// (ShowsDesk). Clerk shows it whoever signs in: a session on a
	// clerk's fixed token (tests, scripts).
	Desk  *Desk
	Clerk bool
	// Role is the role the service gives the person signed in (GET
	// /v1/me: "citizen", "clerk", "administrator"); "" while nobody is
	// signed in or before the service has answered.
	Role binding.String
	// Institution is the authority the clerk signed in works for (GET
	// /v1/me), set before Role; "" for anyone else.
	Institution binding.String
	me          MeAPI // nil when the service API does not say
	// Acting is for whom new requests are made (acting-as switcher).
	Acting *Acting
	// Mandates is the register of the person's mandates (Profile), and
	// Admin the administrator's screen; nil when the service API offers
	// neither.
	Mandates *Mandates
	Admin    *Admin
	// Devices are the person's devices signed in by pairing; nil when
	// the service API does not pair devices.
	Devices *Devices
	// Account is who is signed in (UseAccount); nil in the demo, which
	// acts for a built-in person.
	Account *Account
	About   About
	// Background runs slow work (calls to the exchange service) off the
	// UI thread; results come back through the bindings. It starts a
	// goroutine that Close waits for; tests may make it synchronous.
	Background func(task func())
	// Open shows a file or a page with the system's app (a PDF in the PDF
	// reader) and reports when none did; nil uses Fyne's opener, which
	// does not know. It may take seconds: call it off the UI thread.
	Open func(*url.URL) error

	// ctx is the session's root context: every call and goroutine of the
	// session derives from it, and Close ends it at quit.
	ctx  context.Context
	stop context.CancelFunc
	// mu guards closed: work gains no goroutine once Close has begun.
	mu     sync.Mutex
	closed bool
	work   sync.WaitGroup
	// heardReads reads the requests the events heard name, one batch at
	// a time (a busy institution's clerk hears hundreds in a burst).
	heardReads rerun
	// calls counts the Background tasks that have not ended (Settle).
	calls atomic.Int64
}

// Context is the session's root context; it ends when the session closes.
func (s *Session) Context() context.Context { return s.ctx }

// Go runs task in a goroutine of the session with its root context; the
// task must return once that context ends. Close waits for it. Once Close
// has begun, Go runs nothing: the window may be gone, and a late task's
// screen updates would reach none.
func (s *Session) Go(task func(ctx context.Context)) { s.start(nil, task) }

// background is the default Background: Go, with the task counted while
// it runs (Settle).
func (s *Session) background(task func()) {
	s.start(&s.calls, func(context.Context) { task() })
}

// start runs task as Go does, counted in running unless that is nil.
func (s *Session) start(running *atomic.Int64, task func(ctx context.Context)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.work.Add(1)
	if running != nil {
		running.Add(1)
	}
	go func() {
		defer s.work.Done()
		if running != nil {
			defer running.Add(-1)
		}
		task(s.ctx)
	}()
}

// Settle returns once none of the work started with Background runs (the
// first screens' loads have ended), or with ctx's error when ctx ends
// first. Streams (Go) are not waited for.
func (s *Session) Settle(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for s.calls.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// HomeCountry is the catalogue's code of the country of the eID of whom
// the app acts for (the represented person or company under a mandate,
// else the person signed in): the country a request most often asks; ""
// when nobody is signed in.
func (s *Session) HomeCountry() string {
	who := s.Acting.Represented()
	if who == "" && s.Account != nil {
		if p, ok := s.Account.Person(); ok {
			who = p.Identifier
		}
	}
	return catalogue.CountryOfEID(who)
}

// Close ends the session at quit: it ends the root context, so streams
// and calls stop (and failed loads are no longer retried), and waits up
// to wait for the session's goroutines to return. It reports false when
// some did not return in time.
func (s *Session) Close(wait time.Duration) bool {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop()
	s.Connection.Stop()
	s.Wallet.Opened.Clear()
	done := make(chan struct{})
	go func() { s.work.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(wait):
		return false
	}
}

// call is a context for one call to the service: the session's, for at
// most 10 s.
func (s *Session) call() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, 10*time.Second)
}

// ServiceAPI is all the app needs of the exchange service.
type ServiceAPI interface {
	CatalogueAPI
	RequestsAPI
	EventsAPI
	InboxAPI
	WalletAPI
	RecordsAPI
	HandoffAPI
	DeskAPI
	MandatesAPI
	FeedbackAPI
}

// NewSession builds the session over the exchange service API; log
// receives what goes wrong (slog.Default when nil).
func NewSession(svc ServiceAPI, prefs Preferences, about About, log *slog.Logger) *Session {
	if log == nil {
		log = slog.Default()
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Session{
		ctx: ctx, stop: stop,
		Language:    NewLanguage(prefs),
		Display:     NewDisplay(prefs),
		Catalogue:   NewCatalogue(svc, log),
		Requests:    NewRequests(svc, log),
		About:       about,
		Inbox:       NewInbox(svc, log),
		Wallet:      NewWallet(svc, log),
		Records:     NewRecords(svc, log),
		Connection:  NewConnection(),
		Handoff:     NewHandoff(svc, log),
		Desk:        NewDesk(svc),
		Links:       NewLinks(prefs, about.ServiceURL),
		Acting:      NewActing(svc, prefs),
		Role:        binding.NewString(),
		Institution: binding.NewString(),
	}
	s.me, _ = svc.(MeAPI)
	s.Background = s.background
	s.Requests.mandate = s.Acting.MandateID
	s.Handoff.mandate = s.Acting.MandateID
	s.Requests.feedback, s.Feedback = svc, &Feedback{api: svc}
	if d, ok := svc.(DevicesAPI); ok {
		s.Devices = NewDevices(d)
	}
	if reg, ok := svc.(MandateRegisterAPI); ok {
		s.Mandates = NewMandates(reg, svc, s.Acting)
	}
	if roles, ok := svc.(RolesAPI); ok {
		s.Admin = NewAdmin(roles)
	}
	s.Catalogue.conn, s.Requests.conn, s.Inbox.conn = s.Connection, s.Connection, s.Connection
	s.Requests.mandateRefused, s.Wallet.mandateRefused = s.mandatesChanged, s.mandatesChanged
	s.Connection.run = func(f func()) { s.Background(f) }
	// The service gives texts of others (a provider's preview) in the
	// user's language where they are offered.
	if l, ok := svc.(interface{ SetLanguage(code string) }); ok {
		l.SetLanguage(s.Language.Code())
		s.Language.OnChange(l.SetLanguage)
	}
	s.Requests.OnRefresh = func(list []api.Request, documents bool) {
		ctx, cancel := s.call()
		defer cancel()
		if documents {
			_ = s.Wallet.Refresh(ctx)
		}
		s.Inbox.SetRequests(ctx, list)
	}
	s.Inbox.Services = NewServiceCache(s.Catalogue.Service)
	s.Inbox.Language = s.Language.Code
	s.Language.OnChange(func(string) {
		s.Background(func() {
			ctx, cancel := s.call()
			defer cancel()
			s.Inbox.Relabel(ctx)
		})
	})
	// The event stream is the one way changes reach the screens: the
	// list, and the open request page that follows its request.
	s.Inbox.OnResume = func() {
		s.Background(func() {
			ctx, cancel := s.call()
			defer cancel()
			s.Requests.Resync(ctx)
		})
	}
	s.Inbox.OnEvent = func(e api.Event) {
		if e.Event == api.EventMandateGiven || e.Event == api.EventMandateRevoked {
			s.mandatesChanged() // of no request
			return
		}
		s.Desk.Changed(e.RequestID)
		if e.Desk { // a clerk's institution's application: not in their list
			s.Background(func() {
				ctx, cancel := s.call()
				defer cancel()
				s.Requests.Changed(ctx, e.RequestID)
			})
			return
		}
		s.Requests.Heard(e.RequestID)
		s.heardReads.ask(s.Background, func() {
			ctx, cancel := s.call()
			defer cancel()
			s.Requests.ReadHeard(ctx)
		})
	}
	return s
}

// mandatesChanged reloads what mandates give the person — whom they may
// act for, their mandates, and the requests and documents made under
// them — once one was given or revoked (an event), or the service refused
// one: it ended since they were loaded, and what it gave is no longer
// theirs to see.
func (s *Session) mandatesChanged() {
	s.Background(func() {
		ctx, cancel := s.call()
		defer cancel()
		_ = s.Acting.Refresh(ctx)
		if s.Mandates != nil {
			_ = s.Mandates.Refresh(ctx)
		}
		_ = s.Requests.Refresh(ctx)
	})
}
