package exchange

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/assets"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/store"
)

// newTestRequests builds the request use cases over a fresh SQLite store
// and the demo directory over HTTP, with a clock the test moves; opts
// change the configuration (with its Store set) before it is used.
func newTestRequests(t *testing.T, now *time.Time, opts ...func(*RequestsConfig)) *Requests {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "v.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := catalogue.Parse(assets.CatalogueJSON())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SeedCatalogue(ctx, cat); err != nil {
		t.Fatal(err)
	}
	demo, err := demodir.Directory()
	if err != nil {
		t.Fatal(err)
	}
	dirSrv := httptest.NewServer(commonsvc.NewServer(demo, nil))
	t.Cleanup(dirSrv.Close)
	cfg := RequestsConfig{
		Store:     st,
		Directory: &commonsvc.Client{EBURL: dirSrv.URL + "/query/eb/rest/search", DSDURL: dirSrv.URL + "/query/dsd/rest/search"},
		Now:       func() time.Time { return *now },
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	return NewRequests(cfg)
}

// withTransport is the newTestRequests option that sends over tr.
func withTransport(tr Transport) func(*RequestsConfig) {
	return func(c *RequestsConfig) { c.Transport = tr }
}

// otherProcess is q as another process over the same database would
// build it (the same one restarted, or a second one beside it): a new
// Requests with the same parts, named worker in the job queue.
func otherProcess(q *Requests, worker string) *Requests {
	return NewRequests(RequestsConfig{
		Store: q.store, Ledger: q.ledger, Directory: q.dir, Transport: q.transport, Preview: q.preview,
		PreviewReturn: q.previewReturn, Requester: q.authority, Worker: worker, MaxEvidenceSize: q.maxEvidence,
		Now: q.now, Log: q.log,
	})
}

// TestTimeoutsExpireWaitingRequestsDurably: a request that waits for the
// citizen longer than its bound expires through the job queue, once; a
// time-out that fires too early or again changes nothing.
func TestTimeoutsExpireWaitingRequestsDurably(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	who := DemoCitizen()
	svc, err := q.store.Service(ctx, "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := q.Start(ctx, who, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil || r.State != "ready" || r.ExpectedBy == nil {
		t.Fatalf("create: %+v, %v", r, err)
	}

	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := q.Get(ctx, who, r.ID); got.State != "ready" {
		t.Fatalf("a time-out fired before its time: %s", got.State)
	}

	now = r.ExpectedBy.Add(time.Second)
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := q.Get(ctx, who, r.ID)
	if err != nil || got.State != "expired" {
		t.Fatalf("after the deadline: %+v, %v", got, err)
	}
	var fired int
	for _, s := range got.Timeline {
		if s.Event == "timed_out" {
			fired++
		}
	}
	if fired != 1 {
		t.Fatalf("timeline has %d time-outs, want 1 (the look-up's stale one must leave no trace): %+v", fired, got.Timeline)
	}
	q = otherProcess(q, "worker-2")
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := q.Get(ctx, who, r.ID)
	if len(again.Timeline) != len(got.Timeline) {
		t.Fatalf("a second worker fired the time-out again: %v", again.Timeline)
	}
}

// acceptingTransport acknowledges every request; the provider behind it
// never answers.
type acceptingTransport struct{ sent int }

func (a *acceptingTransport) Send(ctx context.Context, q requester.Query) (requester.Sent, error) {
	a.sent++
	return requester.Sent{MessageID: "m", ExchangeID: q.ExchangeID}, nil
}

// TestSilentProviderEndsExpiredWithEDMTimeout: the request was sent, the
// provider never answers; after the response bound the request expires
// with EDM:ERR:0005 and a readable reason.
func TestSilentProviderEndsExpiredWithEDMTimeout(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	q, tr, who, r := readyRequestAt(t, &now)
	r, err := q.GiveExplicitRequest(ctx, who, r.ID)
	if err != nil || r.State != "sent" || tr.sent != 1 {
		t.Fatalf("after the explicit request: %s, %d sent, %v", r.State, tr.sent, err)
	}
	now = r.ExpectedBy.Add(time.Second)
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := q.Get(ctx, who, r.ID)
	if got.State != "expired" || got.ErrorCode != "EDM:ERR:0005" {
		t.Fatalf("silent provider: %s %q", got.State, got.ErrorCode)
	}
}
