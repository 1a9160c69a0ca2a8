package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestOneRequestUnderWayPerOpenKey: a second request with the open key of
// one under way is refused with ErrUnderWay and OpenRequest finds the
// first; once the first ends (its key stored empty) the key is free, and
// any number of ended requests have none. The backfill of an older
// database gives the newest of the requests the callback names alike
// the key, once. On both databases.
func TestOneRequestUnderWayPerOpenKey(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	const me = "LV/LV/01019012345"
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			rec := func(id, key string, at time.Time) RequestRecord {
				return RequestRecord{ID: id, Owner: me, ServiceID: "lv-ehic", State: "ready", OpenKey: key, Doc: []byte(`{}`), CreatedAt: at, UpdatedAt: at}
			}
			made := []TimelineEntry{{At: t0, Event: "created", State: "ready"}}
			first := rec("first", "k1", t0)
			if err := s.CreateRequest(ctx, first, made, Effects{}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateRequest(ctx, rec("second", "k1", t0), made, Effects{}); !errors.Is(err, ErrUnderWay) {
				t.Fatalf("a second request under way with the same key: %v, want ErrUnderWay", err)
			}
			if got, err := s.OpenRequest(ctx, "k1"); err != nil || got.ID != "first" || got.OpenKey != "k1" {
				t.Fatalf("OpenRequest(k1): %+v, %v", got, err)
			}
			first.Version, first.State, first.OpenKey = 1, "cancelled", ""
			if err := s.UpdateRequest(ctx, first, []TimelineEntry{{At: t0, Event: "cancelled", State: "cancelled"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.OpenRequest(ctx, "k1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("OpenRequest after the first ended: %v, want ErrNotFound", err)
			}
			if err := s.CreateRequest(ctx, rec("second", "k1", t0), made, Effects{}); err != nil {
				t.Fatalf("a request with the key of one that ended: %v", err)
			}
			if err := s.CreateRequest(ctx, rec("ended", "", t0), made, Effects{}); err != nil {
				t.Fatalf("a second request without a key: %v", err)
			}

			// As a database stored before open keys: none set, the
			// backfill pending. Two old requests under way for the same
			// evidence: the newer gets the key.
			for _, r := range []RequestRecord{rec("older", "", t0.Add(time.Hour)), rec("newer", "", t0.Add(2*time.Hour))} {
				if err := s.CreateRequest(ctx, r, made, Effects{}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.db.ExecContext(ctx, `INSERT INTO open_key_backfill (pending) VALUES (1)`); err != nil {
				t.Fatal(err)
			}
			keys := func(r RequestRecord) string {
				if r.ID == "older" || r.ID == "newer" {
					return "k2"
				}
				return ""
			}
			if n, err := s.BackfillOpenKeys(ctx, keys); err != nil || n != 1 {
				t.Fatalf("backfill: %d keys, %v; want 1", n, err)
			}
			if got, err := s.OpenRequest(ctx, "k2"); err != nil || got.ID != "newer" {
				t.Fatalf("after the backfill k2 is %+v, %v; want the newer request's", got, err)
			}
			if got, err := s.OpenRequest(ctx, "k1"); err != nil || got.ID != "second" {
				t.Fatalf("the backfill moved k1: %+v, %v", got, err)
			}
			if n, err := s.BackfillOpenKeys(ctx, keys); err != nil || n != 0 {
				t.Fatalf("second backfill: %d, %v; want nothing", n, err)
			}
		})
	}
}
