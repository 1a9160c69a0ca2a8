package demonode_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
)

// world is a demo node with switches to take access points down, counters
// of the posts each listener served, and the answers the requester got.
type world struct {
	t       testing.TB
	node    *demonode.Node
	answers chan requester.Answer
	// down[side][i] makes listener i answer 503 without reaching AS4.
	down   map[demonode.Side]*[2]atomic.Bool
	served map[demonode.Side]*[2]atomic.Int64
	// posts keeps the bodies and Content-Types requester listener 1 served.
	mu    sync.Mutex
	posts []post
	// wire holds every EDM payload either side's AS4 sender accepted.
	wire []wireMsg
	// fail, when > 0, makes OnAnswer fail that many more times.
	fail  atomic.Int32
	calls atomic.Int32
}

// wireMsg is an EDM payload as an AS4 sender took it.
type wireMsg struct {
	action string
	props  []as4.Property
	body   []byte
}

// observe is the senders' test hook: it keeps the EDM payload.
func (w *world) observe(sub *as4.Submission) {
	for _, p := range sub.Payloads {
		if p.MimeType != as4.MimeEbRS {
			continue
		}
		rc, err := p.Open()
		if err != nil {
			w.t.Errorf("wire capture: %v", err)
			return
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			w.t.Errorf("wire capture: %v", err)
			return
		}
		w.mu.Lock()
		w.wire = append(w.wire, wireMsg{action: sub.Action, props: sub.Properties, body: body})
		w.mu.Unlock()
	}
}

// post is one raw AS4 message as received.
type post struct {
	body        []byte
	contentType string
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{
		t: t, answers: make(chan requester.Answer, 16),
		down:   map[demonode.Side]*[2]atomic.Bool{demonode.SideRequester: {}, demonode.SideProvider: {}},
		served: map[demonode.Side]*[2]atomic.Int64{demonode.SideRequester: {}, demonode.SideProvider: {}},
	}
	n, err := demonode.Start(context.Background(), demonode.Options{
		Dir: t.TempDir(), OnAnswer: w.onAnswer, Logger: quiet(),
		ResendInterval: 500 * time.Millisecond, RequesterResend: 300 * time.Millisecond,
		Intercept: w.intercept, ObserveSend: w.observe,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	w.node = n
	return w
}

func (w *world) intercept(side demonode.Side, i int, h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if w.down[side][i].Load() {
			http.Error(rw, "down for the test", http.StatusServiceUnavailable)
			return
		}
		w.served[side][i].Add(1)
		if side == demonode.SideRequester && i == 0 {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(rw, err.Error(), http.StatusBadRequest)
				return
			}
			w.mu.Lock()
			w.posts = append(w.posts, post{body, r.Header.Get("Content-Type")})
			w.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(rw, r)
	})
}

func (w *world) onAnswer(_ context.Context, a requester.Answer) error {
	w.calls.Add(1)
	if w.fail.Load() > 0 {
		w.fail.Add(-1)
		return errTest
	}
	w.answers <- a
	return nil
}

type testError struct{}

func (testError) Error() string { return "callback failed for the test" }

var errTest = testError{}

// next waits for the next answer.
func (w *world) next() requester.Answer {
	w.t.Helper()
	select {
	case a := <-w.answers:
		return a
	case <-time.After(30 * time.Second):
		w.t.Fatal("no answer within 30 s")
		return requester.Answer{}
	}
}

// noMore checks that no further answer arrives within d.
func (w *world) noMore(d time.Duration) {
	w.t.Helper()
	select {
	case a := <-w.answers:
		w.t.Fatalf("unexpected extra answer %s to %s", a.Action, a.RefToMessageID)
	case <-time.After(d):
	}
}

// query looks up a Latvian evidence type whose English title contains
// word in the node's directory, as the exchange service would (EB, then
// DSD), and returns a first query for it.
func (w *world) query(word, format string) requester.Query {
	w.t.Helper()
	return w.queryIn("LV", "", word, format)
}

// queryIn is query for evidence of country; region answers a DSD:ERR:0005
// jurisdiction question (AdminLevel2).
func (w *world) queryIn(country, region, word, format string) requester.Query {
	w.t.Helper()
	dir := w.node.Directory
	for _, rid := range dir.RequirementIDs() {
		reqs, err := dir.EvidenceTypes(commonsvc.EvidenceTypesQuery{RequirementID: rid, Country: country})
		if err != nil {
			continue
		}
		for _, r := range reqs {
			for _, et := range r.EvidenceTypes() {
				if !strings.Contains(strings.ToLower(et.Titles.Get("EN")), word) {
					continue
				}
				dq := commonsvc.DataServicesQuery{Classification: et.Classification, Country: country}
				ts, err := dir.DataServices(dq)
				var attrs *commonsvc.AttributesRequiredError
				if errors.As(err, &attrs) && region != "" && attrs.Requests[0].Jurisdiction != nil {
					dq.EvidenceTypeID = attrs.Requests[0].EvidenceType.ID
					dq.JurisdictionContext = attrs.Requests[0].Jurisdiction.ContextID
					dq.AdminLevel2 = region
					ts, err = dir.DataServices(dq)
				}
				if err != nil || len(ts) == 0 || len(ts[0].Services) == 0 {
					continue
				}
				return requester.Query{
					ExchangeID:   requester.NewExchangeID(),
					Procedure:    "R1",
					Requirement:  requester.Requirement{ID: r.ID, Name: r.Names.Get("EN")},
					EvidenceType: requester.EvidenceType{ID: ts[0].ID, Classification: et.Classification, Titles: et.Titles, Format: format},
					Provider:     ts[0].Services[0],
					Subject:      requester.Person{Identifier: "LV/" + country + "/12345612345", GivenName: "Anna", FamilyName: "Bērziņa", DateOfBirth: "1990-04-12"},
					Requester:    requester.Authority{ID: "LV90000011588", Name: "Vienreiz exchange service"},
				}
			}
		}
	}
	w.t.Fatalf("no %s evidence type with %q in the directory", country, word)
	return requester.Query{}
}

// send sends q and fails the test on error.
func (w *world) send(q requester.Query) requester.Sent {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := w.node.Requester().Send(ctx, q)
	if err != nil {
		w.t.Fatalf("send: %v", err)
	}
	return s
}

// exception returns the answer's ExceptionResponse or fails.
func exception(t testing.TB, a requester.Answer) *edm.ExceptionResponse {
	t.Helper()
	x, ok := a.Message.(*edm.ExceptionResponse)
	if !ok {
		t.Fatalf("answer is %T (%s), want an ExceptionResponse", a.Message, a.Action)
	}
	return x
}

// decide acts as the citizen on the preview space: views the evidence and
// approves or refuses, through the JSON endpoints.
func (w *world) decide(loc, subject, decision string) {
	w.t.Helper()
	var view struct {
		Fields      []struct{ Name, Value string }
		DecisionURL string
	}
	w.post(loc+"/view", map[string]string{"subject": subject}, &view)
	if len(view.Fields) == 0 || view.DecisionURL == "" {
		w.t.Fatalf("preview view: %+v", view)
	}
	u, err := url.Parse(loc)
	if err != nil {
		w.t.Fatal(err)
	}
	u.Path = view.DecisionURL
	var d struct{ State string }
	w.post(u.String(), map[string]string{"subject": subject, "decision": decision}, &d)
	if d.State == "" {
		w.t.Fatalf("decision %s: no state in the answer", decision)
	}
}

// post sends JSON to the preview space and decodes the JSON answer.
func (w *world) post(u string, body, out any) {
	w.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := w.node.PreviewClient().Post(u, "application/json", bytes.NewReader(b))
	if err != nil {
		w.t.Fatalf("POST %s: %v", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		w.t.Fatalf("POST %s: status %d: %s", u, resp.StatusCode, msg)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		w.t.Fatalf("POST %s: answer: %v", u, err)
	}
}

// previewRequired sends q and returns the PreviewLocation of the answer.
func (w *world) previewRequired(q requester.Query) string {
	w.t.Helper()
	sent := w.send(q)
	a := w.next()
	x := exception(w.t, a)
	if !x.PreviewRequired() || x.Exception.PreviewLocation == "" {
		w.t.Fatalf("first answer: %s %q, want EDM:ERR:0002 with a location", x.Exception.Code, x.Exception.PreviewLocation)
	}
	if a.RefToMessageID != sent.MessageID || a.ExchangeID != q.ExchangeID || a.ConversationID != q.ExchangeID {
		w.t.Fatalf("answer ties: ref %q exchange %q conversation %q; want %q and %q", a.RefToMessageID, a.ExchangeID, a.ConversationID, sent.MessageID, q.ExchangeID)
	}
	return x.Exception.PreviewLocation
}
