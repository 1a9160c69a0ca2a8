package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/client"
)

// TestHelpCentreHasAPageForEveryCode (defect 4): every code the app may
// show has its own page, what happened and what to do, in lv and en.
func TestHelpCentreHasAPageForEveryCode(t *testing.T) {
	test.NewTempApp(t)
	for _, code := range Languages {
		NewLanguage(&memPrefs{m: map[string]string{"language": code}})
		generic := Help("generic")
		titles := map[string]string{}
		for _, c := range HelpCodes {
			p := Help(c)
			if p.Title == "" || p.What == "" || p.Do == "" || strings.HasPrefix(p.What, "help.") {
				t.Errorf("%s: page %s is incomplete: %+v", code, c, p)
			}
			if c != "generic" && p.Title == generic.Title {
				t.Errorf("%s: %s has no page of its own", code, c)
			}
			titles[c] = p.Title
		}
		// The codes a request's problem may carry have a page (and a sentence).
		for _, c := range []string{"EB:ERR:0001", "DSD:ERR:0001", "DSD:ERR:0002", "EDM:ERR:0004", "EDM:ERR:0005", "EBMS:0004"} {
			if ProblemOfCode(c, "provider's words").Text == "provider's words" {
				t.Errorf("%s: %s has no sentence of ours", code, c)
			}
		}
		if code == "lv" && titles["unavailable"] == "The service cannot be reached" {
			t.Error("the Latvian help centre is in English")
		}
	}
	if p := Help("EDM:ERR:9999"); p.Code != "EDM:ERR:9999" || p.Title != Help("generic").Title {
		t.Errorf("an unknown code gets %+v, want the general page naming it", p)
	}
}

// TestUnavailableServiceShowsABannerAndKeepsTheResults (defect 4): when
// the service cannot be reached, what was loaded stays listed and the
// banner says it is the earlier copy; Retry runs the search again and the
// banner goes once the service answers.
func TestUnavailableServiceShowsABannerAndKeepsTheResults(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	fake := &fakeAPI{services: services()}
	conn := testConnection(t)
	c := NewCatalogue(fake, quiet())
	c.conn = conn
	if err := c.Search(context.Background(), catalogue.Query{Text: "pension"}); err != nil {
		t.Fatal(err)
	}
	fake.err = errors.Join(client.ErrUnavailable, errors.New("503 the database does not answer"))
	_ = c.Search(context.Background(), catalogue.Query{Text: "pension"})
	banner, _ := conn.Banner.Get()
	if !strings.Contains(banner, "cannot be reached") || !strings.Contains(banner, "loaded at") {
		t.Fatalf("banner = %q", banner)
	}
	if n := c.Results.Length(); n != 2 {
		t.Fatalf("%d results while unavailable, want the 2 loaded before", n)
	}
	if code, _ := c.ProblemCode.Get(); code != "unavailable" {
		t.Fatalf("problem code %q, want unavailable (its help page)", code)
	}
	conn.Retry()
	if b, _ := conn.Banner.Get(); b == "" {
		t.Fatal("banner gone although the service still fails")
	}
	fake.err = nil
	conn.Retry()
	if b, _ := conn.Banner.Get(); b != "" {
		t.Fatalf("banner %q after the retry succeeded", b)
	}
}

// TestSystemLanguageWithARegion: under LANG=lv_LV.UTF-8, a Latvian
// system's usual setting, the app started in English, because Fyne names
// the locale "lv-LV".
func TestSystemLanguageWithARegion(t *testing.T) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "lv_LV.UTF-8")
	if got := systemLanguage(); got != "lv" {
		t.Fatalf("system language under lv_LV.UTF-8 = %q, want lv", got)
	}
	t.Setenv("LANG", "de_DE.UTF-8")
	if got := systemLanguage(); got != "en" {
		t.Fatalf("system language under de_DE.UTF-8 = %q, want en", got)
	}
}

// TestProviderRefusalAndOutageHaveTheirOwnPages: the service's 502
// answers about the evidence provider lead to their own help pages, not
// to "something went wrong".
func TestProviderRefusalAndOutageHaveTheirOwnPages(t *testing.T) {
	for _, code := range []string{api.CodeProviderRefused, api.CodeProviderUnavailable, api.CodeEvidenceForCompanies, api.CodeEvidenceForPersons} {
		p := ProblemOf(fmt.Errorf("opening the preview: %w", &client.APIError{Status: 502, Code: code, Message: "x"}))
		if p.Code != code || p.Text == ProblemOf(errors.New("x")).Text || Help(code).Title == Help("generic").Title {
			t.Errorf("%s: problem %+v, help %q", code, p, Help(code).Title)
		}
	}
}

// TestMandateRefusalsSayWhatEnded: Mari opened Jānis's document after he
// revoked her mandate and read "Something went wrong. Try again in a
// minute" — the service had answered 403 mandate_revoked, and trying
// again never helps. Each refusal of a mandate has its own sentence and
// help page.
func TestMandateRefusalsSayWhatEnded(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	texts := map[string]bool{}
	for _, code := range []string{api.CodeMandateRevoked, api.CodeMandateExpired, api.CodeMandateNotYetValid, api.CodeMandateOutOfScope} {
		p := ProblemOf(fmt.Errorf("evidence 1/0: %w", &client.APIError{Status: 403, Code: code, Message: "the mandate cannot be used"}))
		if p.Code != code || p.Text == ProblemOf(errors.New("x")).Text || Help(code).Title == Help("generic").Title || !slices.Contains(HelpCodes, code) {
			t.Errorf("%s: problem %+v, help %q", code, p, Help(code).Title)
		}
		texts[p.Text] = true
	}
	if len(texts) != 4 {
		t.Errorf("the four refusals share sentences: %v", texts)
	}
}

// TestActingSaysWhatTheMandateCovers: Mari, acting for Jānis under a
// mandate for the university's admission only, could start a request for
// a pension from the catalogue: she chose the country, and the service
// refused it. Asked before, the mandate's scope is told at once.
func TestActingSaysWhatTheMandateCovers(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	a := NewActing(heldMandates{
		{ID: "admission", Represented: "LV/LV/01019012345", RepresentedName: "Jānis Bērziņš", Services: []string{"lv-university-admission"}, Status: "active"},
		{ID: "all", Represented: "LV/LV/01015012345", RepresentedName: "Ilze Bērziņa", Status: "active"},
	}, nil)
	if err := a.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		acting, service string
		outOfScope      bool
	}{
		{"admission", "lv-university-admission", false},
		{"admission", "lv-pension", true},
		{"all", "lv-pension", false},
		{"", "lv-pension", false},
	} {
		a.Set(tc.acting)
		p, out := a.ScopeProblem(tc.service)
		if out != tc.outOfScope || (out && (p.Code != api.CodeMandateOutOfScope || p.Text != ProblemOf(&client.APIError{Code: api.CodeMandateOutOfScope}).Text)) {
			t.Errorf("acting as %q for %s: %+v, %v", tc.acting, tc.service, p, out)
		}
	}
}

type heldMandates []api.Mandate

func (h heldMandates) Mandates(context.Context) (*api.MandateList, error) {
	return &api.MandateList{Held: h}, nil
}

// TestActingSaysWhomEvidenceIsAbout: evidence about a company is asked for
// acting for a company, evidence about a person acting for oneself or for
// a person; the other way round, the provider would not know whom it is
// asked about, and the problem says whom to act for.
func TestActingSaysWhomEvidenceIsAbout(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	a := NewActing(heldMandates{
		{ID: "company", Represented: "LV/LV/40003012345", RepresentedName: "Baltic Timber SIA", Company: true, Status: "active"},
		{ID: "mother", Represented: "LV/LV/01015012345", RepresentedName: "Ilze Bērziņa", Status: "active"},
	}, nil)
	if err := a.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	registration := catalogue.Evidence{Requirement: "https://x/company", About: catalogue.AboutCompany}
	birth := catalogue.Evidence{Requirement: "https://x/birth"}
	for _, tc := range []struct {
		acting   string
		evidence catalogue.Evidence
		want     string // the problem's code, "" for none
	}{
		{"", registration, api.CodeEvidenceForCompanies},
		{"", birth, ""},
		{"mother", registration, api.CodeEvidenceForCompanies},
		{"mother", birth, ""},
		{"company", registration, ""},
		{"company", birth, api.CodeEvidenceForPersons},
	} {
		a.Set(tc.acting)
		p, wrong := a.SubjectProblem(tc.evidence)
		if wrong != (tc.want != "") || p.Code != tc.want || (wrong && !strings.Contains(p.Text, "Acting as")) {
			t.Errorf("acting as %q for %s: %+v, %v; want %q", tc.acting, tc.evidence.Requirement, p, wrong, tc.want)
		}
	}
	// Jānis, with no company's mandate, has no "Acting as" to choose from:
	// he is told who registers one instead.
	none := NewActing(heldMandates{}, nil)
	if err := none.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p, wrong := none.SubjectProblem(registration); !wrong || p.Code != api.CodeEvidenceForCompanies || strings.Contains(p.Text, "Acting as") || !strings.Contains(p.Text, "administrator") {
		t.Errorf("with no company's mandate: %+v, %v", p, wrong)
	}
}

// TestActingIsKeptAcrossRestarts: Līga chose to act for Baltic Timber SIA
// and, after the app restarted, was acting for herself again (noted trying
// the app). The choice is kept while the mandate stands; a sign-out
// forgets it, and a mandate no longer held is not taken up.
func TestActingIsKeptAcrossRestarts(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	prefs := &memPrefs{m: map[string]string{}}
	held := heldMandates{{ID: "company", Represented: "LV/LV/40003012345", RepresentedName: "Baltic Timber SIA", Company: true, Status: "active"}}
	start := func(list heldMandates) *Acting {
		a := NewActing(list, prefs)
		if err := a.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		return a
	}
	start(held).Set("company")
	if got := start(held).MandateID(); got != "company" {
		t.Fatalf("after a restart the app acts under %q", got)
	}
	if got := start(nil).MandateID(); got != "" {
		t.Fatalf("with the mandate gone the app acts under %q", got)
	}
	a := start(held)
	a.Set("company")
	a.Clear() // signed out
	if got := start(held).MandateID(); got != "" {
		t.Fatalf("after a sign-out the app acts under %q", got)
	}
}

// TestActingSaysWhomARequestIsAbout: the wallet is asked for the documents
// of whom a request is about: the represented company for one made under a
// company's mandate the person holds, the person's own for their own and
// for one someone else made for them (a mandate they gave, not hold).
func TestActingSaysWhomARequestIsAbout(t *testing.T) {
	test.NewTempApp(t)
	a := NewActing(heldMandates{{ID: "company", Represented: "LV/LV/40003012345", Company: true, Status: "active"}}, nil)
	if err := a.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	for mandate, want := range map[string]string{"company": "LV/LV/40003012345", "": "", "given-by-me": ""} {
		if got := a.SubjectOf(&api.Request{MandateID: mandate}); got != want {
			t.Errorf("a request under mandate %q is about %q, want %q", mandate, got, want)
		}
	}
}

// TestServiceBackLeavesNoProblemOfTheOutage: found by trying the app as
// Jānis on his phone while the service did not answer. Starting a request
// failed ("the service cannot be reached", in a dialog, rightly), but the
// requests list, which had not failed, showed the same sentence in red
// until something reloaded it, long after the service was back; and a
// list whose own load had failed kept its old copy after the inbox stream
// had reconnected and cleared the banner. A failed change now raises the
// banner and leaves the list's problem alone, and the first call that
// succeeds reloads what had failed.
func TestServiceBackLeavesNoProblemOfTheOutage(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	fake := &fakeService{requests: []api.Request{{ID: "r1", State: "ready"}}}
	conn := testConnection(t)
	conn.run = func(f func()) { f() }
	r := NewRequests(fake, quiet())
	r.conn = conn
	ctx := context.Background()
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	down := fmt.Errorf("POST /v1/requests: %w", client.ErrUnavailable)

	fake.err = down
	if _, err := r.Create(ctx, "lv-vehicle", "https://x/registration", "DE"); err == nil {
		t.Fatal("the request was started although the service is down")
	}
	if p, _ := r.Problem.Get(); p != "" {
		t.Errorf("the list, which did not fail, says %q after a failed start", p)
	}
	if b, _ := conn.Banner.Get(); !strings.Contains(b, "cannot be reached") {
		t.Errorf("banner %q after a start the service did not answer", b)
	}
	fake.err = nil
	fake.requests = append(fake.requests, api.Request{ID: "r2", State: "ready"})
	conn.Report("inbox", nil, nil) // the event stream is back
	if b, _ := conn.Banner.Get(); b != "" {
		t.Errorf("banner %q once the service answers", b)
	}
	if n := r.List.Length(); n != 2 {
		t.Errorf("%d requests listed once the service is back, want the 2 it has now", n)
	}

	fake.err = down // the list's own load fails
	_ = r.Refresh(ctx)
	if p, _ := r.Problem.Get(); !strings.Contains(p, "cannot be reached") {
		t.Fatalf("a list that could not be loaded says %q", p)
	}
	fake.err = nil
	fake.requests = append(fake.requests, api.Request{ID: "r3", State: "ready"})
	conn.Report("inbox", nil, nil)
	if p, _ := r.Problem.Get(); p != "" || r.List.Length() != 3 {
		t.Errorf("once the service is back the list says %q with %d requests, want none and 3", p, r.List.Length())
	}
}

// TestFailedLoadsAreRetriedOnTheirOwn: with the service paused and back
// (found so: SIGSTOP and SIGCONT of the service under the phone), nothing
// loaded again until the person tapped Try again; the event stream was
// still open and told nothing. Failed loads are now retried on their own,
// after 5 s and then twice as long each time up to a minute, until the
// service answers; the next outage starts again at 5 s.
func TestFailedLoadsAreRetriedOnTheirOwn(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	fake := &fakeService{err: fmt.Errorf("GET /v1/requests: %w", client.ErrUnavailable)}
	conn := testConnection(t)
	conn.run = func(f func()) { f() }
	var waits []time.Duration
	var armed func()
	conn.after = func(d time.Duration, f func()) func() bool {
		waits, armed = append(waits, d), f
		return func() bool { armed = nil; return true }
	}
	r := NewRequests(fake, quiet())
	r.conn = conn
	_ = r.Refresh(context.Background())
	for range 6 {
		if armed == nil {
			t.Fatalf("no retry armed after %v", waits)
		}
		next := armed
		armed = nil
		next()
	}
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute, time.Minute}
	if !slices.Equal(waits, want) {
		t.Fatalf("retries waited %v, want %v", waits, want)
	}
	fake.err, fake.requests = nil, []api.Request{{ID: "r1", State: "ready"}}
	next := armed
	armed = nil
	next()
	if b, _ := conn.Banner.Get(); b != "" || r.List.Length() != 1 || armed != nil {
		t.Fatalf("after the service answered a retry: banner %q, %d requests, retry armed %v", b, r.List.Length(), armed != nil)
	}
	fake.err = fmt.Errorf("GET /v1/requests: %w", client.ErrUnavailable)
	_ = r.Refresh(context.Background())
	if last := waits[len(waits)-1]; last != 5*time.Second {
		t.Fatalf("the next outage's first retry waits %v, want 5s", last)
	}
}

// oneRequest is a fakeService whose Request answers its list's request.
type oneRequest struct{ fakeService }

func (f *oneRequest) Request(_ context.Context, id string) (*api.Request, error) {
	for i := range f.requests {
		if f.requests[i].ID == id {
			return &f.requests[i], nil
		}
	}
	return nil, client.ErrNotFound
}

// TestAStreamBackResyncsTheRequests: a stream that ended on its own
// (the service gone or silent: client.StreamSilence) may have missed
// events. Once it is back, the inbox says so (OnResume, not at the first
// connection) and the requests list and the request page shown are
// reloaded: the page of a request whose preview came while the stream
// was down shows it.
func TestAStreamBackResyncsTheRequests(t *testing.T) {
	test.NewTempApp(t)
	box := &fakeInbox{}
	in := NewInbox(box, quiet())
	resumed := make(chan struct{}, 4)
	in.OnResume = func() { resumed <- struct{}{} }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { in.Run(ctx, &flakyEvents{inbox: box}); close(done) }()
	select {
	case <-resumed:
	case <-ctx.Done():
		t.Fatal("the stream came back and no resync was asked")
	}
	cancel()
	<-done
	if n := len(resumed); n != 0 {
		t.Fatalf("%d more resyncs asked, want one (for the one reconnection)", n)
	}

	fake := &oneRequest{fakeService{requests: []api.Request{{ID: "r1", State: "sent"}}}}
	r := NewRequests(fake, quiet())
	var shown []string
	stop := r.Follow("r1", func(req *api.Request) { shown = append(shown, req.State) })
	defer stop()
	fake.requests[0].State = "preview_required" // while the stream was down
	r.Resync(context.Background())
	if len(shown) != 1 || shown[0] != "preview_required" || r.List.Length() != 1 {
		t.Fatalf("after a resync the page was given %v and the list has %d requests", shown, r.List.Length())
	}

	// A resync that finds the service gone is run again once it is back.
	conn := testConnection(t)
	conn.run = func(f func()) { f() }
	r.conn = conn
	fake.err = fmt.Errorf("GET /v1/requests: %w", client.ErrUnavailable)
	r.Resync(context.Background())
	fake.err, fake.requests[0].State = nil, "delivered"
	conn.Report("inbox", nil, nil)
	if shown[len(shown)-1] != "delivered" {
		t.Fatalf("once the service was back the page was given %v, want the delivered request", shown)
	}
}
