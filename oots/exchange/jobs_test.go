package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vienreiz/vienreiz/oots/requester"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// TestSendStoredWithTheExplicitRequestSurvivesACrash: the process dies
// right after it stored the citizen's explicit request (state and send
// job in one transaction) and before it sent anything. The job worker
// (here after the restart) sends the request, once; running the same job
// again, as a worker whose lease ran out would, sends nothing more.
func TestSendStoredWithTheExplicitRequestSurvivesACrash(t *testing.T) {
	ctx := context.Background()
	q, tr, who, r := readyRequest(t)
	rec, doc, err := q.load(ctx, who, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	// What GiveExplicitRequest stores before it carries anything out.
	if _, err := q.apply(ctx, who, rec, doc, lifecycle.Event{Kind: lifecycle.ExplicitRequestGiven}, ""); err != nil {
		t.Fatal(err)
	}
	if tr.sent != 0 {
		t.Fatal("apply sent the request itself")
	}
	jobID := sendJobID(r.ID, 1)
	if _, err := q.store.Jobs().Job(ctx, jobID); err != nil {
		t.Fatalf("the send job was not stored with the state: %v", err)
	}

	q = otherProcess(q, "after-restart")
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := q.Get(ctx, who, r.ID)
	if tr.sent != 1 || got.State != "sent" {
		t.Fatalf("after the worker ran: %d sends, state %s; want 1, sent", tr.sent, got.State)
	}
	if _, err := q.store.Jobs().Job(ctx, jobID); err == nil {
		t.Fatal("the send job is still queued after it ran")
	}
	entries, err := q.store.Ledger().EntriesAbout(ctx, who.Subject)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
		// The citizen consents; the service sends, on their behalf.
		if want := map[string]string{"explicit_request_given": who.Subject, "query_sent": "service"}[e.Action]; want != "" && (e.Actor != want || e.OnBehalfOf != who.Subject) {
			t.Errorf("ledger line %s by %s for %s; want by %s for %s", e.Action, e.Actor, e.OnBehalfOf, want, who.Subject)
		}
	}
	if actions["explicit_request_given"] != 1 || actions["query_sent"] != 1 {
		t.Fatalf("ledger lines %v; want the consent and the send once each", actions)
	}

	// The same job once more (a worker that lost its lease mid-run).
	payload, _ := json.Marshal(sendJob{Request: r.ID, Sends: 1})
	if _, err := q.store.Jobs().Enqueue(ctx, store.NewJob{ID: jobID, Kind: jobSend, Payload: string(payload), RunAt: q.now()}); err != nil {
		t.Fatal(err)
	}
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	if tr.sent != 1 {
		t.Fatalf("a repeated send job sent the request again: %d sends", tr.sent)
	}
}

// TestExplicitRequestSendsAtOnce: the API call that records the explicit
// request also sends it (the process runs its own job at once), so the
// answer already says sent and no job is left behind.
func TestExplicitRequestSendsAtOnce(t *testing.T) {
	ctx := context.Background()
	q, tr, who, r := readyRequest(t)
	r, err := q.GiveExplicitRequest(ctx, who, r.ID)
	if err != nil || r.State != "sent" || tr.sent != 1 {
		t.Fatalf("explicit request: %v, %d sends, %v", r, tr.sent, err)
	}
	if _, err := q.store.Jobs().Job(ctx, sendJobID(r.ID, 1)); err == nil {
		t.Fatal("the send job is left in the queue")
	}
}

// TestLedgerPurgeRunsDailyFromTheQueue: the daily purge job removes the
// entries older than the retention, keeps the rest verifiable, and queues
// the next day's purge.
func TestLedgerPurgeRunsDailyFromTheQueue(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var at time.Time // the ledger's clock
	q := newTestRequests(t, &now, func(c *RequestsConfig) {
		c.Ledger = ledger.New(c.Store.Ledger())
		c.Ledger.Now = func() time.Time { return at }
	})
	for _, at = range []time.Time{now.AddDate(-1, -1, 0), now.AddDate(0, -1, 0)} {
		if _, err := q.ledger.Append(ctx, ledger.Record{Actor: "a", OnBehalfOf: "a", Action: "evidence_viewed"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.scheduleLedgerPurge(ctx, now); err != nil {
		t.Fatal(err)
	}
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	entries, err := q.store.Ledger().Entries(ctx, "a", 0, 10)
	if err != nil || len(entries) != 1 || !entries[0].Time.Equal(now.AddDate(0, -1, 0)) {
		t.Fatalf("after the purge: %+v, %v; want only the recent entry", entries, err)
	}
	if _, err := q.ledger.Verify(ctx); err != nil {
		t.Fatalf("the chain no longer verifies after the purge: %v", err)
	}
	next, err := q.store.Jobs().Job(ctx, "ledger_purge/2026-11-26")
	if err != nil || !next.RunAt.Equal(time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)) {
		t.Fatalf("next purge: %+v, %v", next, err)
	}
}

// readyRequest creates a birth-record request of the demo citizen over a
// transport that acknowledges every send; the request is ready, waiting
// for the explicit request.
func readyRequest(t *testing.T) (*Requests, *acceptingTransport, Principal, *api.Request) {
	t.Helper()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return readyRequestAt(t, &now)
}

// readyRequestAt is readyRequest with the service's clock at now.
func readyRequestAt(t *testing.T, now *time.Time) (*Requests, *acceptingTransport, Principal, *api.Request) {
	t.Helper()
	tr := &acceptingTransport{}
	q := newTestRequests(t, now, withTransport(tr))
	who := DemoCitizen()
	svc, _ := q.store.Service(context.Background(), "lv-birth-certificate")
	r, _, err := q.Start(context.Background(), who, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	return q, tr, who, r
}

// TestLookUpIsStoredWithTheChangeThatAskedForIt: creating a request and
// answering the directory's questions each store one change, holding the
// look-up's outcome too, so no crash can leave a look-up half done and no
// draft's time-out is left behind.
func TestLookUpIsStoredWithTheChangeThatAskedForIt(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	who := DemoCitizen()
	svc, _ := q.store.Service(ctx, "de-vehicle-registration")
	var residence string
	for _, e := range svc.Evidence {
		if strings.Contains(e.Name.In("en"), "residence") {
			residence = e.Requirement
		}
	}
	r, _, err := q.Start(ctx, who, api.NewRequest{ServiceID: svc.ID, Requirement: residence, Country: "DE"})
	if err != nil || r.State != "needs_attributes" {
		t.Fatalf("create: %+v, %v", r, err)
	}
	if rec, _ := q.store.Request(ctx, r.ID); rec.Version != 1 {
		t.Fatalf("create stored %d versions, want 1", rec.Version)
	}
	r, err = q.GiveAttributes(ctx, who, r.ID, api.Attributes{Values: map[string]string{r.Questions[0].Name: "DE6"}})
	if err != nil || r.State != "ready" {
		t.Fatalf("attributes: %+v, %v", r, err)
	}
	if rec, _ := q.store.Request(ctx, r.ID); rec.Version != 2 {
		t.Fatalf("answering stored %d more versions, want 1", rec.Version-1)
	}
	var events []string
	for _, s := range r.Timeline {
		events = append(events, s.Event)
	}
	if got := strings.Join(events, ","); got != "created,attributes_needed,attributes_given,provider_found" {
		t.Fatalf("timeline %s", got)
	}
	// Only the time-out of the state the request is in is queued.
	now = now.Add(time.Hour)
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := q.Get(ctx, who, r.ID); got.State != "ready" || len(got.Timeline) != 4 {
		t.Fatalf("an hour later: %s, %d steps", got.State, len(got.Timeline))
	}
}

// TestRunDueJobsDrainsABacklog: after downtime many more jobs are due
// than there are runners; one run takes them all.
func TestRunDueJobsDrainsABacklog(t *testing.T) {
	ctx := context.Background()
	q, _, _, r := readyRequest(t)
	for i := range 15*jobRunners + 1 {
		payload, _ := json.Marshal(timeoutJob{Request: r.ID, Deadline: q.now().Add(-time.Duration(i+1) * time.Second)})
		if _, err := q.store.Jobs().Enqueue(ctx, store.NewJob{Kind: jobTimeout, Payload: string(payload), RunAt: q.now().Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	if left, _, err := q.store.Jobs().Claim(ctx, "probe", q.now(), time.Minute, 100); err != nil || len(left) != 0 {
		t.Fatalf("%d due jobs left after one run, %v", len(left), err)
	}
}

// panickingTransport panics on every send, as a defect in sending would.
type panickingTransport struct{ calls int }

func (p *panickingTransport) Send(context.Context, requester.Query) (requester.Sent, error) {
	p.calls++
	panic("defect in sending")
}

// explicitRequestStored is a request whose explicit request and send job
// are stored, as GiveExplicitRequest leaves them before it sends; now is
// the service's clock, opts as newTestRequests'.
func explicitRequestStored(t *testing.T, now *time.Time, tr Transport, opts ...func(*RequestsConfig)) (*Requests, Principal, string) {
	t.Helper()
	ctx := context.Background()
	q := newTestRequests(t, now, append(opts, withTransport(tr))...)
	who := DemoCitizen()
	svc, _ := q.store.Service(ctx, "lv-birth-certificate")
	r, _, err := q.Start(ctx, who, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	rec, doc, err := q.load(ctx, who, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.apply(ctx, who, rec, doc, lifecycle.Event{Kind: lifecycle.ExplicitRequestGiven}, ""); err != nil {
		t.Fatal(err)
	}
	return q, who, r.ID
}

// TestSendJobWhoseWorkersVanishedFailsItsRequest: the send job's workers
// vanish mid-run on every attempt (other processes, each killed for good,
// so each lease runs out). When the last attempt's lease runs out the job
// is dead, and the request must not wait for ever in "ready": it fails
// with the reason, nothing having been sent. (Before, the job died
// silently and the request stayed ready: the kill -9 loop found it.)
func TestSendJobWhoseWorkersVanishedFailsItsRequest(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := &acceptingTransport{}
	q, who, id := explicitRequestStored(t, &now, tr)
	for attempt := 1; attempt <= store.DefaultMaxAttempts; attempt++ {
		got, _, err := q.store.Jobs().Claim(ctx, fmt.Sprintf("vanished-%d", attempt), now, jobLease, 10)
		if err != nil || len(got) != 1 || got[0].Attempt != attempt {
			t.Fatalf("attempt %d: claim = %+v, %v", attempt, got, err)
		}
		now = now.Add(jobLease)
	}
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := q.Get(ctx, who, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != "failed" || r.ErrorCode != CodeNotSent || !strings.Contains(r.Problem, "could not be sent") || tr.sent != 0 {
		t.Fatalf("after the send job died: state %s, code %s, problem %q, %d sent; want failed, %s, not sent", r.State, r.ErrorCode, r.Problem, tr.sent, CodeNotSent)
	}
}

// TestPanickingSendJobIsAFailedAttempt: a defect that panics while
// sending does not bring the worker down; each panic is a failed attempt,
// queued again after its back-off with the panic as its error (and after
// the last attempt the request fails, as TestSendJobWhoseWorkersVanished…
// shows; here the request's own transport time-out comes first).
func TestPanickingSendJobIsAFailedAttempt(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := &panickingTransport{}
	q, who, id := explicitRequestStored(t, &now, tr)
	for attempt := 1; attempt <= 3; attempt++ {
		if err := q.RunDueJobs(ctx); err != nil {
			t.Fatal(err)
		}
		info, err := q.store.Jobs().Job(ctx, sendJobID(id, 1))
		if tr.calls != attempt || err != nil || info.State != "queued" || info.Attempts != attempt ||
			!strings.Contains(info.LastError, "panicked") || !info.RunAt.Equal(now.Add(store.Backoff(attempt))) {
			t.Fatalf("attempt %d: %d sends tried, job %+v, %v; want queued again after %s with the panic as its error",
				attempt, tr.calls, info, err, store.Backoff(attempt))
		}
		now = info.RunAt
	}
	if r, _ := q.Get(ctx, who, id); r.State != "ready" {
		t.Fatalf("state %s after three panics; want ready (attempts are left)", r.State)
	}
}

// meetingTransport holds each send until the other sends of its group
// have started, so it only gets through when sends run side by side.
type meetingTransport struct {
	wg   sync.WaitGroup
	sent atomic.Int32
}

func (m *meetingTransport) Send(ctx context.Context, q requester.Query) (requester.Sent, error) {
	m.wg.Done()
	met := make(chan struct{})
	go func() { m.wg.Wait(); close(met) }()
	select {
	case <-met:
	case <-time.After(10 * time.Second):
		return requester.Sent{}, errors.New("the other sends never started: jobs run one after the other")
	}
	m.sent.Add(1)
	return requester.Sent{MessageID: "m-" + q.ExchangeID, ExchangeID: q.ExchangeID}, nil
}

// TestDueSendsRunSideBySide: a service restarted with sends under way
// runs them at once, so one slow access point does not hold up the rest
// (the kill -9 loop saw the last of six sends never reached before the
// next restart).
func TestDueSendsRunSideBySide(t *testing.T) {
	ctx := context.Background()
	q, who, ids := sendsDue(t)
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if r, _ := q.Get(ctx, who, id); r.State != "sent" {
			t.Errorf("request %s is %s (%s), want sent", id, r.State, r.Problem)
		}
	}
}

// TestIdleQueueCostsOneClaim: with nothing due, a tick of the job worker
// makes one claim (one small write transaction), not one per runner; with
// work due, the runners start and share it.
func TestIdleQueueCostsOneClaim(t *testing.T) {
	ctx := context.Background()
	var claims atomic.Int32
	q, who, ids := sendsDue(t, func(c *RequestsConfig) {
		claim := c.Store.Jobs().Claim
		c.claim = func(ctx context.Context, worker string, now time.Time, lease time.Duration, max int) ([]store.Job, []store.Job, error) {
			claims.Add(1)
			return claim(ctx, worker, now, lease, max)
		}
	})
	// Four sends due: they meet in the transport, so all runners ran.
	if err := q.RunDueJobs(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if r, _ := q.Get(ctx, who, id); r.State != "sent" {
			t.Errorf("request %s is %s, want sent", id, r.State)
		}
	}
	claims.Store(0)
	for range 10 {
		if err := q.RunDueJobs(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := claims.Load(); n != 10 {
		t.Fatalf("10 ticks on an idle queue made %d claims, want 10", n)
	}
}

// sendsDue stores jobRunners requests whose explicit request was given,
// so that as many sends are due; their transport answers only once all of
// them are under way at the same time. opts are newTestRequests'.
func sendsDue(t *testing.T, opts ...func(*RequestsConfig)) (*Requests, Principal, []string) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := &meetingTransport{}
	tr.wg.Add(jobRunners)
	q, who, first := explicitRequestStored(t, &now, tr, opts...)
	ids := []string{first}
	svc, _ := q.store.Service(ctx, "lv-birth-certificate")
	// Other evidence than the first's (from other countries, for another
	// service): one request per evidence is under way at a time.
	birth := svc.Evidence[0].Requirement
	for _, in := range []api.NewRequest{
		{ServiceID: svc.ID, Requirement: birth, Country: "EE"},
		{ServiceID: svc.ID, Requirement: birth, Country: "LT"},
		{ServiceID: "lv-university-admission", Requirement: birth, Country: "LV"},
	}[:jobRunners-1] {
		r, _, err := q.Start(ctx, who, in)
		if err != nil {
			t.Fatal(err)
		}
		rec, doc, _ := q.load(ctx, who, r.ID)
		if _, err := q.apply(ctx, who, rec, doc, lifecycle.Event{Kind: lifecycle.ExplicitRequestGiven}, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return q, who, ids
}
