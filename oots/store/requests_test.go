package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

func TestRequestsCreateUpdateAndTimeline(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			r := RequestRecord{ID: "r1", Owner: "LV/LV/010101-12345", ServiceID: "lv-ehic", State: "draft", Doc: []byte(`{"a":1}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "created", State: "draft", ExpectedBy: t0.Add(2 * time.Minute)}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "created", State: "draft"}}, Effects{}); err == nil {
				t.Fatal("a second request with the same id was stored")
			}
			got, err := s.Request(ctx, "r1")
			if err != nil || got.Version != 1 || string(got.Doc) != `{"a":1}` || !got.CreatedAt.Equal(t0) {
				t.Fatalf("read back %+v, %v", got, err)
			}

			got.State, got.Doc, got.UpdatedAt = "ready", []byte(`{"a":2}`), t0.Add(time.Second)
			if err := s.UpdateRequest(ctx, *got, []TimelineEntry{{At: t0.Add(time.Second), Event: "provider_found", State: "ready"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			stale := *got // still Version 1
			stale.State = "cancelled"
			if err := s.UpdateRequest(ctx, stale, []TimelineEntry{{At: t0, Event: "cancel", State: "cancelled"}}, Effects{}); !errors.Is(err, ErrConflict) {
				t.Fatalf("update from a stale version: %v, want ErrConflict", err)
			}
			now, _ := s.Request(ctx, "r1")
			if now.State != "ready" || now.Version != 2 {
				t.Fatalf("after the refused stale update: %+v", now)
			}
			tl, err := s.Timeline(ctx, "r1")
			if err != nil || len(tl) != 2 || tl[0].Event != "created" || tl[1].Seq != 2 || !tl[0].ExpectedBy.Equal(t0.Add(2*time.Minute)) || !tl[1].ExpectedBy.IsZero() {
				t.Fatalf("timeline = %+v, %v", tl, err)
			}

			other := RequestRecord{ID: "r2", Owner: "LV/LV/020202-54321", ServiceID: "lv-ehic", State: "draft", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, other, []TimelineEntry{{At: t0, Event: "created", State: "draft"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			mine, err := s.RequestsOf(ctx, "LV/LV/010101-12345")
			if err != nil || len(mine) != 1 || mine[0].ID != "r1" {
				t.Fatalf("requests of the first owner = %+v, %v", mine, err)
			}
			if _, err := s.Request(ctx, "nope"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown id: %v", err)
			}
		})
	}
}

// A state change and the jobs it asks for are stored together: a refused
// (stale) update enqueues nothing, an accepted one enqueues its jobs.
func TestUpdateRequestEnqueuesJobsInItsTransaction(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			r := RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "draft", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			timeout := NewJob{ID: "timeout/r1", Kind: "timeout", RunAt: t0.Add(time.Hour)}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "created", State: "draft"}}, Effects{Jobs: []NewJob{timeout}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Jobs().Job(ctx, "timeout/r1"); err != nil {
				t.Fatalf("the creation's job is missing: %v", err)
			}
			stale := r
			r.Version, r.State = 1, "ready"
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "provider_found", State: "ready"}}, Effects{Jobs: []NewJob{{ID: "send/r1", Kind: "send", RunAt: t0}}}); err != nil {
				t.Fatal(err)
			}
			stale.Version, stale.State = 1, "cancelled"
			err := s.UpdateRequest(ctx, stale, []TimelineEntry{{At: t0, Event: "cancel", State: "cancelled"}}, Effects{Jobs: []NewJob{{ID: "stale/r1", Kind: "send", RunAt: t0}}})
			if !errors.Is(err, ErrConflict) {
				t.Fatalf("stale update: %v, want ErrConflict", err)
			}
			if _, err := s.Jobs().Job(ctx, "stale/r1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("the refused update's job was stored: %v", err)
			}
			// A job that cannot be stored rolls the state change back.
			r.Version, r.State = 2, "sent"
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "query_sent", State: "sent"}}, Effects{Jobs: []NewJob{{Kind: "", RunAt: t0}}}); err == nil {
				t.Fatal("an update with an invalid job was stored")
			}
			if got, _ := s.Request(ctx, "r1"); got.State != "ready" || got.Version != 2 {
				t.Fatalf("after the failed update: %+v", got)
			}
		})
	}
}

// A creation is stored whole or not at all, also where the database
// refuses one of its statements after the others ran (on PostgreSQL they
// go to the server together, in one batch): here the second of two inbox
// items has the first's id.
func TestCreateRequestIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			r := RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "draft", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			steps := []TimelineEntry{{At: t0, Event: "created", State: "draft"}, {At: t0, Event: "provider_found", State: "ready"}}
			item := InboxItem{ID: "i1", Owner: "o", RequestID: "r1", Event: "provider_found", State: "ready", At: t0}
			fx := Effects{Jobs: []NewJob{{ID: "timeout/r1", Kind: "timeout", RunAt: t0}}, Inbox: []InboxItem{item, item}}
			if err := s.CreateRequest(ctx, r, steps, fx); err == nil {
				t.Fatal("a creation with two inbox items of one id was stored")
			}
			if _, err := s.Request(ctx, "r1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("the failed creation left its request: %v", err)
			}
			if tl, err := s.Timeline(ctx, "r1"); err != nil || len(tl) != 0 {
				t.Fatalf("the failed creation left its timeline: %+v, %v", tl, err)
			}
			if _, err := s.Jobs().Job(ctx, "timeout/r1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("the failed creation left its job: %v", err)
			}
			// The same creation with one item is stored whole, and the
			// connection that failed serves the next statements.
			fx.Inbox = fx.Inbox[:1]
			for range 4 {
				if err := s.CreateRequest(ctx, r, steps, fx); err != nil {
					t.Fatal(err)
				}
				r.ID = r.ID + "x"
				fx.Inbox[0].ID, fx.Inbox[0].RequestID, fx.Jobs[0].ID = fx.Inbox[0].ID+"x", r.ID, fx.Jobs[0].ID+"x"
			}
			if tl, err := s.Timeline(ctx, "r1"); err != nil || len(tl) != 2 || tl[1].Seq != 2 || tl[1].Event != "provider_found" {
				t.Fatalf("timeline = %+v, %v", tl, err)
			}
			if _, err := s.Jobs().Job(ctx, "timeout/r1"); err != nil {
				t.Fatalf("the creation's job: %v", err)
			}
		})
	}
}

func TestEvidenceKeptAndReplaced(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			if err := s.CreateRequest(ctx, RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}, []TimelineEntry{{At: t0}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			pdf := []byte("%PDF-1.7\x00\xff binary")
			if err := s.PutEvidence(ctx, EvidenceDoc{RequestID: "r1", Index: 0, ContentType: "application/pdf", SHA256: "aa", Data: pdf}); err != nil {
				t.Fatal(err)
			}
			if err := s.PutEvidence(ctx, EvidenceDoc{RequestID: "r1", Index: 0, ContentType: "application/pdf", SHA256: "bb", Data: pdf}); err != nil {
				t.Fatalf("storing the same document again: %v", err)
			}
			got, err := s.Evidence(ctx, "r1", 0)
			if err != nil || string(got.Data) != string(pdf) || got.SHA256 != fmt.Sprintf("%x", sha256.Sum256(pdf)) || got.Size != int64(len(pdf)) || got.ContentType != "application/pdf" {
				t.Fatalf("Evidence = %+v, %v", got, err)
			}
			if _, err := s.Evidence(ctx, "r1", 1); !errors.Is(err, ErrNotFound) {
				t.Fatalf("missing index: %v", err)
			}
			if err := s.PutEvidence(ctx, EvidenceDoc{RequestID: "nope", Index: 0, Data: pdf}); err == nil && name == "postgres" {
				t.Fatal("evidence of an unknown request was stored")
			}
		})
	}
}

// The ledger lines of a change are appended with it: a refused change
// leaves no line, an accepted one leaves its lines on an intact chain.
func TestUpdateRequestAppendsLedgerInItsTransaction(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			r := RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "ready", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "created", State: "ready"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			consent := ledger.Record{Actor: "o", OnBehalfOf: "o", Action: "explicit_request_given", RequestID: "r1"}
			r.Version = 1
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: t0.Add(time.Second), Event: "explicit_request_given", State: "ready"}}, Effects{Ledger: []ledger.Record{consent}}); err != nil {
				t.Fatal(err)
			}
			stale := r // Version 1 again
			if err := s.UpdateRequest(ctx, stale, []TimelineEntry{{At: t0, Event: "cancel", State: "cancelled"}}, Effects{Ledger: []ledger.Record{{Actor: "o", OnBehalfOf: "o", Action: "cancel"}}}); !errors.Is(err, ErrConflict) {
				t.Fatalf("stale update: %v", err)
			}
			r.Version = 2
			bad := ledger.Record{Actor: "o", OnBehalfOf: "o", Action: "Not A Token"}
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "query_sent", State: "sent"}}, Effects{Ledger: []ledger.Record{bad}}); err == nil {
				t.Fatal("an update with an invalid ledger record was stored")
			}
			entries, err := s.Ledger().Entries(ctx, "o", 0, 10)
			if err != nil || len(entries) != 1 || entries[0].Action != "explicit_request_given" || !entries[0].Time.Equal(t0.Add(time.Second)) {
				t.Fatalf("ledger = %+v, %v; want the one accepted line", entries, err)
			}
			if n, err := ledger.New(s.Ledger()).Verify(ctx); err != nil || n != 1 {
				t.Fatalf("Verify = %d, %v", n, err)
			}
			if got, _ := s.Request(ctx, "r1"); got.Version != 2 || got.State != "ready" {
				t.Fatalf("request after the refused updates: %+v", got)
			}
		})
	}
}

// TestDeskRequestsListTheWorkHoweverOld: a desk's list is its services'
// newest requests, and beyond them the older ones in an awaiting state
// that no decision event decided, newest first; other services' never.
func TestDeskRequestsListTheWorkHoweverOld(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			add := func(id, service, state string, at time.Time, events ...string) {
				t.Helper()
				r := RequestRecord{ID: id, Owner: "LV/LV/010101-12345", ServiceID: service, State: state, Doc: []byte(`{}`), CreatedAt: at, UpdatedAt: at}
				steps := []TimelineEntry{{At: at, Event: "created", State: state}}
				for _, e := range events {
					steps = append(steps, TimelineEntry{At: at, Event: e, State: state})
				}
				if err := s.CreateRequest(ctx, r, steps, Effects{}); err != nil {
					t.Fatal(err)
				}
			}
			add("old-waiting", "ours", "delivered", t0)
			add("old-decided", "ours", "delivered", t0.Add(time.Minute), "approved")
			add("old-failed", "ours", "failed", t0.Add(2*time.Minute))
			add("old-sent", "ours", "sent", t0.Add(3*time.Minute))
			for i := range 3 {
				add(fmt.Sprintf("new-%d", i), "ours", "delivered", t0.Add(time.Hour), "approved") // one time: ordered by id
			}
			add("theirs-waiting", "theirs", "sent", t0)
			add("theirs-new", "theirs", "sent", t0.Add(2*time.Hour))

			q := DeskQuery{Services: []string{"ours", "also-ours"}, Recent: 2, Awaiting: []string{"sent", "delivered"}, Decisions: []string{"approved", "refused"}}
			ids := func(q DeskQuery) string {
				t.Helper()
				list, err := s.DeskRequests(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, r := range list {
					out = append(out, r.ID)
				}
				return fmt.Sprint(out)
			}
			if got, want := ids(q), "[new-0 new-1 old-sent old-waiting]"; got != want {
				t.Fatalf("desk list %s, want %s", got, want)
			}
			q.Recent = 3 // the newest fill the limit, tied on time
			if got, want := ids(q), "[new-0 new-1 new-2 old-sent old-waiting]"; got != want {
				t.Fatalf("desk list of 3 recent %s, want %s", got, want)
			}
			q.Recent = 10 // fewer than the limit: all of them
			if got, want := ids(q), "[new-0 new-1 new-2 old-sent old-failed old-decided old-waiting]"; got != want {
				t.Fatalf("desk list of 10 recent %s, want %s", got, want)
			}
			if got, want := ids(DeskQuery{Services: []string{}, Recent: 10}), "[]"; got != want {
				t.Fatalf("an institution without services lists %s", got)
			}
			if got, want := ids(DeskQuery{Recent: 1, Awaiting: []string{"sent"}}), "[theirs-new old-sent theirs-waiting]"; got != want {
				t.Fatalf("every service's desk lists %s, want %s", got, want)
			}
		})
	}
}
