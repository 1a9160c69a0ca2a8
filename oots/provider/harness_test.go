package provider

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// world is the provider behind two real HTTP listeners, its preview space
// on an https listener, and a minimal requester (Latvia): an as4.Sender to
// ask and an as4.Receiver that collects the answers.
type world struct {
	clientOnce sync.Once
	httpClient *http.Client
	t          testing.TB
	dir        *commonsvc.Directory
	setup      *demo.Setup
	stateDir   string
	prov       *Provider
	provSrv    []*httptest.Server
	preview    *httptest.Server
	clock      *testClock
	sender     *as4.Sender
	answers    chan *answerMsg
	mu         sync.Mutex
	posted     [][]byte    // raw AS4 requests received by provider listener 1
	reqDown    atomic.Bool // requester access points answer 503
	postedCTs  []string
}

// answerMsg is an answer the requester received.
type answerMsg struct {
	msg     *as4.UserMessage
	edm     edm.Message
	edmRaw  []byte
	parts   map[string][]byte
	mimeOf  map[string]string
	payload []as4.Payload
}

// testClock is the provider's preview clock, moved by tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newWorld starts everything; the provider has the default two listeners.
func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{t: t, clock: &testClock{t: time.Now()}, answers: make(chan *answerMsg, 16), stateDir: t.TempDir()}
	var err error
	if w.dir, err = demodir.Directory(); err != nil {
		t.Fatal(err)
	}
	var provURLs, reqURLs []string
	for range 2 {
		s := httptest.NewUnstartedServer(nil)
		w.provSrv = append(w.provSrv, s)
		provURLs = append(provURLs, "http://"+s.Listener.Addr().String()+"/as4")
	}
	var reqSrv []*httptest.Server
	for range 2 {
		s := httptest.NewUnstartedServer(nil)
		reqSrv = append(reqSrv, s)
		reqURLs = append(reqURLs, "http://"+s.Listener.Addr().String()+"/as4")
	}
	w.setup, err = demo.New(demo.Options{RequesterEndpoints: reqURLs, ProviderEndpoints: provURLs})
	if err != nil {
		t.Fatal(err)
	}
	w.preview = httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.prov.PreviewHandler().ServeHTTP(rw, r)
	}))
	w.preview.StartTLS()
	t.Cleanup(w.preview.Close)
	w.start()
	for i, s := range w.provSrv {
		i := i
		s.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if i == 0 {
				body, _ := io.ReadAll(r.Body)
				w.mu.Lock()
				w.posted = append(w.posted, body)
				w.postedCTs = append(w.postedCTs, r.Header.Get("Content-Type"))
				w.mu.Unlock()
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			w.prov.AS4Handlers()[i].ServeHTTP(rw, r)
		})
		s.Start()
		t.Cleanup(s.Close)
	}
	lv := w.setup.Requester
	dups := as4.NewMemStore()
	for _, s := range reqSrv {
		r := &as4.Receiver{
			Config: lv.Config, Identity: lv.Identity, Trust: lv.Trust, Duplicates: dups,
			Deliver: w.collect, SpoolDir: t.TempDir(), Logger: quiet(),
		}
		s.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
			if w.reqDown.Load() {
				http.Error(rw, "down for the test", http.StatusServiceUnavailable)
				return
			}
			r.ServeHTTP(rw, req)
		})
		s.Start()
		t.Cleanup(s.Close)
	}
	w.sender = &as4.Sender{
		Config: lv.Config, Identity: lv.Identity, Trust: lv.Trust, Outbox: as4.NewMemStore(),
		Dir: t.TempDir(), Logger: quiet(),
	}
	return w
}

// start (re)creates the provider over the world's state folder.
func (w *world) start() {
	w.t.Helper()
	p, err := New(Config{
		PModes: w.setup.Provider.Config, Identity: w.setup.Provider.Identity, Trust: w.setup.Provider.Trust,
		Directory: w.dir, Dir: w.stateDir, PreviewURL: w.preview.URL + "/preview",
		PreviewTTL: 10 * time.Minute, ResendInterval: time.Second, Logger: quiet(), Now: w.clock.Now,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.prov = p
	w.t.Cleanup(func() { p.Close() })
}

// collect is the requester's delivery callback.
func (w *world) collect(_ context.Context, d *as4.Delivery) error {
	a := &answerMsg{msg: d.Message, parts: map[string][]byte{}, mimeOf: map[string]string{}}
	for _, p := range d.Payloads {
		rc, err := p.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		a.parts[p.ContentID] = b
		a.mimeOf[p.ContentID] = p.MimeType
		if p.MimeType == as4.MimeEbRS {
			a.edmRaw = b
		}
	}
	m, err := edm.Parse(a.edmRaw)
	if err != nil {
		return fmt.Errorf("answer EDM: %w", err)
	}
	a.edm = m
	w.answers <- a
	return nil
}

// offer returns a directory evidence type of country whose English title
// contains word, with its data services.
func (w *world) offer(country, word string) commonsvc.DataServiceEvidenceType {
	w.t.Helper()
	c, err := newCatalog(w.dir, []string{country})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, o := range c.offers {
		if strings.Contains(strings.ToLower(o.Type.Titles.Get("EN")), word) && len(o.Services) > 0 {
			t := o.Type
			t.Services = o.Services
			return t
		}
	}
	w.t.Fatalf("no %s evidence type with %q", country, word)
	return commonsvc.DataServiceEvidenceType{}
}

// request builds a first request for evidence type et from the citizen.
func (w *world) request(et commonsvc.DataServiceEvidenceType, format string) *edm.QueryRequest {
	svc := et.Services[0]
	return &edm.QueryRequest{
		ID: edm.NewID(), ExchangeID: edm.NewUUID(), IssueDateTime: time.Now().UTC().Truncate(time.Second),
		Procedure:             &edm.Procedure{Code: "R1", Lang: "EN"},
		PossibilityForPreview: true, ExplicitRequestGiven: true,
		Requirements: []edm.Requirement{{
			Identifier: "https://sr.oots.tech.europa.eu/requirements/315cfd75-6605-49c4-b0fe-799833b41099",
			Names:      []edm.Text{{Lang: "EN", Value: "Proof of birth"}},
		}},
		EvidenceRequesters: []edm.Agent{{
			Identifier: edm.Identifier{Value: "LV90000011588", SchemeID: "urn:cef.eu:names:identifier:EAS:9939"},
			Names:      []edm.Text{{Lang: "EN", Value: "Vienreiz exchange service"}}, Classification: edm.ClassEvidenceRequester,
		}},
		EvidenceProvider: agentOf(svc),
		NaturalPerson: &edm.Person{
			LevelOfAssurance: "High", Identifier: edm.Identifier{Value: "LV/" + svc.Provider.Country() + "/12345612345", SchemeID: "eidas"},
			FamilyName: "Bērziņa", GivenName: "Anna", DateOfBirth: "1990-04-12",
		},
		EvidenceRequest: edm.EvidenceType{
			Identifier: et.ID, Classification: et.Classification, Titles: texts(et.Titles),
			DistributedAs: edm.Distribution{Format: format},
		},
	}
}

// send posts an EDM payload as an AS4 request in exchange xid and returns
// the AS4 MessageId.
func (w *world) send(body []byte, xid string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := w.sender.Send(ctx, &as4.Submission{
		ConversationID: xid, To: "DEMO", Service: as4.OOTSService, Action: as4.ActionQueryRequest,
		Properties: []as4.Property{
			{Name: as4.PropOriginalSender, Type: "urn:cef.eu:names:identifier:EAS:9939", Value: "LV90000011588"},
			{Name: as4.PropFinalRecipient, Type: commonsvc.PartyIDTypeUnregistered, Value: "demo-provider"},
			{Name: propExchangeID, Value: xid},
		},
		Payloads: []as4.Payload{{MimeType: as4.MimeEbRS, Open: bytesOpener(body)}},
	})
	if err != nil {
		w.t.Fatalf("send request: %v", err)
	}
	return res.MessageID
}

// ask sends req (as version v) and returns the answer.
func (w *world) ask(req *edm.QueryRequest, v edm.Version) (*answerMsg, string) {
	w.t.Helper()
	body, err := req.Marshal(v)
	if err != nil {
		w.t.Fatal(err)
	}
	id := w.send(body, req.ExchangeID)
	return w.next(), id
}

// next waits for the next answer.
func (w *world) next() *answerMsg {
	w.t.Helper()
	select {
	case a := <-w.answers:
		return a
	case <-time.After(30 * time.Second):
		w.t.Fatal("no answer from the provider within 30 s")
		return nil
	}
}

// noMore checks that no further answer arrives within d.
func (w *world) noMore(d time.Duration) {
	w.t.Helper()
	select {
	case a := <-w.answers:
		w.t.Fatalf("unexpected extra answer %s to %s", a.msg.Action, a.msg.RefToMessageID)
	case <-time.After(d):
	}
}

// client is an https client trusting the preview listener, made once
// (calls may come from several goroutines).
func (w *world) client() *http.Client {
	w.clientOnce.Do(func() {
		c := w.preview.Client()
		c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: c.Transport.(*http.Transport).TLSClientConfig.RootCAs, MinVersion: tls.VersionTLS12}
		w.httpClient = c
	})
	return w.httpClient
}

// post sends a JSON body to the preview space and decodes the JSON answer.
func (w *world) post(u string, body any, out any) int {
	w.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := w.client().Post(u, "application/json", bytes.NewReader(b))
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			w.t.Fatalf("POST %s: answer: %v", u, err)
		}
	}
	return resp.StatusCode
}

// previewFlow views and decides the preview at loc as subject.
func (w *world) previewFlow(loc, subject, decision string) View {
	w.t.Helper()
	var v View
	if code := w.post(loc+"/view", input{Subject: subject}, &v); code != http.StatusOK {
		w.t.Fatalf("view: status %d", code)
	}
	var d Decided
	if code := w.post(absolute(loc, v.DecisionURL), input{Subject: subject, Decision: decision}, &d); code != http.StatusOK {
		w.t.Fatalf("decision: status %d", code)
	}
	return v
}

// absolute resolves a path against the location's host.
func absolute(loc, path string) string {
	u, _ := url.Parse(loc)
	u.Path = path
	return u.String()
}

// exception returns the answer as an exception response or fails.
func exception(t testing.TB, a *answerMsg) *edm.ExceptionResponse {
	t.Helper()
	x, ok := a.edm.(*edm.ExceptionResponse)
	if !ok {
		t.Fatalf("answer is %T, want an exception response", a.edm)
	}
	if a.msg.Action != as4.ActionExceptionResponse {
		t.Fatalf("action %q, want %s", a.msg.Action, as4.ActionExceptionResponse)
	}
	return x
}
