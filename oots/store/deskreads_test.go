package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestDeskReadsFollowTheTimeline: a request is unseen by a clerk until
// they saw its last step, unseen again when a step is added, and one
// clerk's reading is not another's.
func TestDeskReadsFollowTheTimeline(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			step := func(ev string) []TimelineEntry { return []TimelineEntry{{At: now, Event: ev, State: "ready"}} }
			for _, id := range []string{"r1", "r2"} {
				if err := s.CreateRequest(ctx, RequestRecord{ID: id, Owner: "LV/LV/1", ServiceID: "svc", State: "ready", Doc: []byte("{}"), CreatedAt: now, UpdatedAt: now}, step("created"), Effects{}); err != nil {
					t.Fatal(err)
				}
			}
			unseen := func(who string) map[string]bool {
				t.Helper()
				got, err := s.Unseen(ctx, who, []string{"r1", "r2"})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			if got := unseen("anna"); !got["r1"] || !got["r2"] {
				t.Fatalf("never seen: %v", got)
			}
			if err := s.MarkSeen(ctx, "anna", "r1", 1); err != nil {
				t.Fatal(err)
			}
			if got := unseen("anna"); got["r1"] || !got["r2"] {
				t.Fatalf("after anna saw r1: %v", got)
			}
			if got := unseen("ilze"); !got["r1"] {
				t.Fatalf("anna's reading counts for ilze: %v", got)
			}
			if err := s.UpdateRequest(ctx, RequestRecord{ID: "r1", State: "sent", Version: 1, Doc: []byte("{}"), UpdatedAt: now}, step("query_sent"), Effects{}); err != nil {
				t.Fatal(err)
			}
			if got := unseen("anna"); !got["r1"] {
				t.Fatalf("a new step is not unseen: %v", got)
			}
			if err := s.MarkSeen(ctx, "anna", "r1", 2); err != nil {
				t.Fatal(err)
			}
			if err := s.MarkSeen(ctx, "anna", "r1", 1); err != nil { // an older read arriving late
				t.Fatal(err)
			}
			if got := unseen("anna"); got["r1"] {
				t.Fatalf("an older read took the newer back: %v", got)
			}
		})
	}
}

// TestUnseenOfAQueueBeyondTheParameterLimit: Unseen bound one parameter
// per listed application, and SQLite takes at most 32,766 in a statement
// (PostgreSQL 65,535): a desk of 40,000 applications awaiting a decision
// could not be read at all. The ids are asked for in parts.
func TestUnseenOfAQueueBeyondTheParameterLimit(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
			ids := make([]string, 70000)
			for i := range ids {
				ids[i] = fmt.Sprintf("r%05d", i)
			}
			for _, id := range []string{ids[0], ids[len(ids)-1]} {
				if err := s.CreateRequest(ctx, RequestRecord{ID: id, Owner: "LV/LV/1", ServiceID: "svc", State: "ready", Doc: []byte("{}"), CreatedAt: now, UpdatedAt: now},
					[]TimelineEntry{{At: now, Event: "created", State: "ready"}}, Effects{}); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Unseen(ctx, "anna", ids)
			if err != nil || len(got) != 2 || !got[ids[0]] || !got[ids[len(ids)-1]] {
				t.Fatalf("unseen of 70,000 ids: %v, %v", got, err)
			}
		})
	}
}
