package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
)

// memPrefs is an in-memory Preferences.
type memPrefs struct {
	mu sync.Mutex
	m  map[string]string
}

func (p *memPrefs) String(k string) string { p.mu.Lock(); defer p.mu.Unlock(); return p.m[k] }
func (p *memPrefs) SetString(k, v string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]string{}
	}
	p.m[k] = v
}

// fakeAPI answers searches from a fixed list, optionally slowly or failing.
type fakeAPI struct {
	services []catalogue.Service
	delay    func(q catalogue.Query) time.Duration
	err      error
}

func (f *fakeAPI) Services(ctx context.Context, q catalogue.Query) ([]catalogue.Service, error) {
	if f.delay != nil {
		select {
		case <-time.After(f.delay(q)):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	var out []catalogue.Service
	for i := range f.services {
		if q.Matches(&f.services[i]) {
			out = append(out, f.services[i])
		}
	}
	return out, nil
}

func (f *fakeAPI) Service(ctx context.Context, id string) (*catalogue.Service, error) {
	return nil, client.ErrNotFound
}

func (f *fakeAPI) EvidenceCountries(context.Context, string) ([]string, error) {
	return []string{"LV"}, f.err
}

func (f *fakeAPI) Facets(ctx context.Context) (*catalogue.Facets, error) {
	return &catalogue.Facets{Countries: []string{"LV"}}, f.err
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func services() []catalogue.Service {
	mk := func(id, en string) catalogue.Service {
		return catalogue.Service{ID: id, Country: "LV", Category: "tax", Name: catalogue.Text{"en": en, "lv": en}}
	}
	return []catalogue.Service{mk("a", "pension claim"), mk("b", "vehicle registration"), mk("c", "pension record")}
}

func TestSearchPublishesResults(t *testing.T) {
	test.NewTempApp(t)
	c := NewCatalogue(&fakeAPI{services: services()}, quiet())
	if err := c.Search(context.Background(), catalogue.Query{Text: "pension"}); err != nil {
		t.Fatal(err)
	}
	if n := c.Results.Length(); n != 2 {
		t.Fatalf("results = %d, want 2", n)
	}
	if busy, _ := c.Busy.Get(); busy {
		t.Fatal("still busy after the search ended")
	}
	if p, _ := c.Problem.Get(); p != "" {
		t.Fatalf("problem = %q after a good search", p)
	}
}

func TestSearchErrorBecomesTranslatedProblem(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	down := &fakeAPI{err: errors.Join(client.ErrUnavailable, errors.New("connection refused"))}
	c := NewCatalogue(down, quiet())
	if err := c.Search(context.Background(), catalogue.Query{Text: "x"}); err == nil {
		t.Fatal("no error from a service that is down")
	}
	p, _ := c.Problem.Get()
	if p != lang.L("error.unavailable") || p == "error.unavailable" {
		t.Fatalf("problem = %q, want the translated unavailable message", p)
	}
	long := NewCatalogue(&fakeAPI{}, quiet())
	_ = long.Search(context.Background(), catalogue.Query{Text: string(make([]byte, catalogue.MaxQueryLength+1))})
	if p, _ := long.Problem.Get(); p != lang.L("error.query_too_long") {
		t.Fatalf("over-long search: problem = %q", p)
	}
}

func TestOnlyTheNewestSearchIsShown(t *testing.T) {
	test.NewTempApp(t)
	api := &fakeAPI{services: services(), delay: func(q catalogue.Query) time.Duration {
		if q.Text == "pension" {
			return 300 * time.Millisecond // the older, slower search
		}
		return 0
	}}
	c := NewCatalogue(api, quiet())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = c.Search(context.Background(), catalogue.Query{Text: "pension"}) }()
	time.Sleep(50 * time.Millisecond)
	if err := c.Search(context.Background(), catalogue.Query{Text: "vehicle"}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if n := c.Results.Length(); n != 1 {
		t.Fatalf("results = %d, want the newest search's 1", n)
	}
	v, _ := c.Results.GetValue(0)
	if v.(catalogue.Service).ID != "b" {
		t.Fatalf("shown %v, want the vehicle service", v)
	}
}

func TestLanguageSwitchTranslatesAndPersists(t *testing.T) {
	test.NewTempApp(t)
	prefs := &memPrefs{}
	l := NewLanguage(prefs)
	var told []string
	l.OnChange(func(code string) { told = append(told, code) })

	if err := l.Set("lv"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("nav.services"); got != "Pakalpojumi" {
		t.Fatalf("in lv, nav.services = %q", got)
	}
	if err := l.Set("en"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("nav.services"); got != "Services" {
		t.Fatalf("in en, nav.services = %q", got)
	}
	if prefs.String("language") != "en" || len(told) != 2 {
		t.Fatalf("preference = %q, listeners told %v", prefs.String("language"), told)
	}
	if err := l.Set("de"); err == nil || l.Code() != "en" {
		t.Fatalf("unknown language: err = %v, code = %s", err, l.Code())
	}
	if again := NewLanguage(&memPrefs{m: map[string]string{"language": "lv"}}); again.Code() != "lv" || lang.L("nav.inbox") != "Iesūtne" {
		t.Fatalf("remembered language not applied: %s", again.Code())
	}
}

// fakeInbox is the service's inbox of one person, in pages of pageSize
// items (0: one page of all).
type fakeInbox struct {
	mu       sync.Mutex
	items    []api.InboxItem
	marked   []string
	pageSize int
}

func (f *fakeInbox) add(it api.InboxItem) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append([]api.InboxItem{it}, f.items...)
}

func (f *fakeInbox) Inbox(ctx context.Context) (*api.Inbox, error) {
	return f.InboxBefore(ctx, "")
}

// InboxBefore answers the page after item next (the fake's Next is the
// last item's id).
func (f *fakeInbox) InboxBefore(_ context.Context, next string) (*api.Inbox, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	from := 0
	if next != "" {
		from = slices.IndexFunc(f.items, func(it api.InboxItem) bool { return it.ID == next }) + 1
		if from == 0 {
			return nil, &client.APIError{Status: http.StatusBadRequest, Code: api.CodeBadRequest, Message: "before is not the next of a page of your inbox"}
		}
	}
	page := f.items[from:]
	if f.pageSize > 0 && len(page) > f.pageSize {
		page = page[:f.pageSize]
	}
	out := &api.Inbox{Items: append([]api.InboxItem(nil), page...), Count: len(page)}
	if from+len(page) < len(f.items) {
		out.Next = page[len(page)-1].ID
	}
	for _, it := range f.items {
		if !it.Read {
			out.Unread++
		}
	}
	return out, nil
}

func (f *fakeInbox) MarkRead(_ context.Context, id string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.marked = append(f.marked, id)
	unread := 0
	for i := range f.items {
		if id == "" || f.items[i].ID == id {
			f.items[i].Read = true
		}
		if !f.items[i].Read {
			unread++
		}
	}
	return unread, nil
}

// flakyEvents fails its first call, then stores an inbox item, delivers
// its event and ends.
type flakyEvents struct {
	calls int
	inbox *fakeInbox
}

func (f *flakyEvents) Events(ctx context.Context, handle func(api.Event)) error {
	f.calls++
	if f.calls == 1 {
		return client.ErrUnavailable
	}
	f.inbox.add(api.InboxItem{ID: "m1", RequestID: "r1", Event: "evidence_delivered", State: "delivered"})
	handle(api.Event{RequestID: "r1", Event: "evidence_delivered", State: "delivered"})
	<-ctx.Done()
	return ctx.Err()
}

// TestInboxReconnectsAndReloadsOnEvents: the inbox follows the event
// stream through a failed connection and reloads the service's inbox when
// an event comes.
func TestInboxReconnectsAndReloadsOnEvents(t *testing.T) {
	test.NewTempApp(t)
	box := &fakeInbox{}
	in := NewInbox(box, quiet())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ev := &flakyEvents{inbox: box}
	done := make(chan struct{})
	go func() { in.Run(ctx, ev); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for in.Messages.Length() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	unread, _ := in.Unread.Get()
	if ev.calls < 2 || in.Messages.Length() != 1 || unread != 1 {
		t.Fatalf("calls %d, messages %d, unread %d: want a reconnect and one unread message", ev.calls, in.Messages.Length(), unread)
	}
}

// TestInboxSaysWhatAMessageIsAboutAndFromWhom: a message names its
// service, its evidence and its sender in the user's language, an offer
// names the services it is for, and reading one is told to the service.
func TestInboxSaysWhatAMessageIsAboutAndFromWhom(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "lv"}})
	box := &fakeInbox{}
	box.add(api.InboxItem{ID: "m1", RequestID: "r1", ServiceID: "lv-birth-certificate", Event: "preview_requested", State: "preview_required",
		Evidence: map[string]string{"en": "Birth certificate", "lv": "Dzimšanas apliecība"}, ActionNeeded: true,
		From: api.Sender{Kind: api.SenderProvider, ID: "LV-DZS", Names: map[string]string{"en": "Civil registry", "lv": "Dzimtsarakstu nodaļa"}}})
	box.add(api.InboxItem{ID: "m2", RequestID: "r1", ServiceID: "lv-birth-certificate", Event: "offered", State: "delivered",
		Detail: "lv-pension-claim,unknown-service", From: api.Sender{Kind: api.SenderService}})
	in := NewInbox(box, quiet())
	in.Language = func() string { return "lv" }
	names := map[string]catalogue.Text{
		"lv-birth-certificate": {"en": "Birth certificate copy", "lv": "Dzimšanas apliecības kopija"},
		"lv-pension-claim":     {"en": "Claim an old-age pension", "lv": "Vecuma pensijas pieprasīšana"},
	}
	in.Services = NewServiceCache(func(_ context.Context, id string) (*catalogue.Service, error) {
		if n, ok := names[id]; ok {
			return &catalogue.Service{ID: id, Name: n}, nil
		}
		return nil, errors.New("no such service")
	})
	ctx := context.Background()
	if err := in.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	get := func(i int) Message {
		v, err := in.Messages.GetValue(i)
		if err != nil {
			t.Fatal(err)
		}
		return v.(Message)
	}
	offer, preview := get(0), get(1)
	if preview.About != "Dzimšanas apliecības kopija · Dzimšanas apliecība" || preview.From != "Dzimtsarakstu nodaļa" || !preview.ActionNeeded || preview.Title != lang.L("inbox.preview_requested") {
		t.Fatalf("preview message %+v", preview)
	}
	if !strings.Contains(offer.Body, "Vecuma pensijas pieprasīšana") || strings.Contains(offer.Body, "unknown-service") || offer.From != lang.L("inbox.from_service") {
		t.Fatalf("offer message %+v", offer)
	}
	if err := in.MarkRead(ctx, preview); err != nil {
		t.Fatal(err)
	}
	if unread, _ := in.Unread.Get(); unread != 1 || !get(1).Read || len(box.marked) != 1 || box.marked[0] != "m1" {
		t.Fatalf("after reading the preview's message: unread %d, marked %v", unread, box.marked)
	}
}

// signedOutInbox answers as the service does while nobody is signed in.
type signedOutInbox struct{ fakeInbox }

func (*signedOutInbox) Inbox(context.Context) (*api.Inbox, error) { return nil, client.ErrSignedOut }

// TestInboxIsQuietWhileSignedOut: with nobody signed in the inbox shows
// no problem and no "unavailable" banner (the screen asks to sign in).
func TestInboxIsQuietWhileSignedOut(t *testing.T) {
	test.NewTempApp(t)
	in := NewInbox(&signedOutInbox{}, quiet())
	in.conn = testConnection(t)
	if err := in.Refresh(context.Background()); err == nil {
		t.Fatal("no error while signed out")
	}
	problem, _ := in.Problem.Get()
	banner, _ := in.conn.Banner.Get()
	if problem != "" || banner != "" {
		t.Fatalf("signed out, the inbox shows problem %q and banner %q", problem, banner)
	}
}

// TestInboxNamesTheRepresentative: a step a representative took for the
// person is from them, and says it was under the person's mandate. The
// request's state after an explicit request is "ready" until the query
// is sent, which the message calls being sent, not awaiting the explicit
// request it reports.
func TestInboxNamesTheRepresentative(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	box := &fakeInbox{}
	box.add(api.InboxItem{ID: "m1", RequestID: "r1", ServiceID: "lv-birth-certificate", Event: "explicit_request_given", State: "ready",
		From: api.Sender{Kind: api.SenderRepresentative, ID: "LV/LV/12087510402", Names: map[string]string{"en": "Līga Kalniņa", "lv": "Līga Kalniņa"}}})
	in := NewInbox(box, quiet())
	if err := in.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	v, err := in.Messages.GetValue(0)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(Message)
	if m.From != "Līga Kalniņa" || m.Title != "Your evidence was asked for" || !strings.Contains(m.Body, "By Līga Kalniņa under the mandate you gave") || !strings.Contains(m.Body, "Sending the request") {
		t.Fatalf("message %+v", m)
	}
}

// TestInboxSaysForWhom: Līga's inbox said "Your application was approved ·
// Register a business activity" of Baltic Timber SIA's application, which
// she made for the company (found trying the app): as her requests list
// and wallet do, a message of a request made for someone says for whom,
// once the requests list knows it, and not of her own.
func TestInboxSaysForWhom(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	box := &fakeInbox{}
	box.add(api.InboxItem{ID: "m1", RequestID: "company", ServiceID: "lv-register-business", Event: api.EventApplicationApproved, State: "delivered"})
	box.add(api.InboxItem{ID: "m2", RequestID: "own", ServiceID: "lv-birth-certificate", Event: "evidence_delivered", State: "delivered"})
	in := NewInbox(box, quiet())
	if err := in.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	in.SetRequests(context.Background(), []api.Request{{ID: "company", For: "LV/LV/40003012345", ForName: "Baltic Timber SIA"}, {ID: "own"}})
	about := map[string]string{}
	for i := range in.Messages.Length() {
		v, _ := in.Messages.GetValue(i)
		about[v.(Message).ID] = v.(Message).About
	}
	if !strings.HasPrefix(about["m1"], "For Baltic Timber SIA") || strings.Contains(about["m2"], "For ") {
		t.Fatalf("the messages are about %q", about)
	}
}

// testSession is NewSession over svc, closed when the test ends: the
// connection's timed retries of a failed load stop with it, rather than
// fire in a later test (the race detector caught one translating while
// the next test loaded its translations).
func testSession(t *testing.T, svc ServiceAPI) *Session {
	t.Helper()
	s := NewSession(svc, &memPrefs{}, About{}, quiet())
	t.Cleanup(func() { s.Close(time.Second) })
	return s
}

// testConnection is NewConnection, stopped when the test ends.
func testConnection(t *testing.T) *Connection {
	t.Helper()
	c := NewConnection()
	t.Cleanup(c.Stop)
	return c
}
