package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

func TestHandoffIsUsedOnce(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
			h := Handoff{ID: "h1", Code: "AAAA-BBBB", ServiceID: "svc", Requirement: "req", Country: "EE", Subject: "LV/LV/1", CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)}
			if err := s.PutHandoff(ctx, h); err != nil {
				t.Fatal(err)
			}
			got, err := s.HandoffByCode(ctx, "AAAA-BBBB")
			if err != nil || got.ID != "h1" || got.Subject != "LV/LV/1" || !got.ExpiresAt.Equal(h.ExpiresAt) || !got.UsedAt.IsZero() {
				t.Fatalf("HandoffByCode = %+v, %v", got, err)
			}
			if err := s.UseHandoff(ctx, "h1", "LV/LV/1", now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := s.UseHandoff(ctx, "h1", "LV/LV/1", now.Add(time.Minute)); !errors.Is(err, ErrConflict) {
				t.Fatalf("second use: %v, want ErrConflict", err)
			}
			// Giving it back after a failed start makes it usable again.
			if err := s.FinishHandoff(ctx, "h1", ""); err != nil {
				t.Fatal(err)
			}
			if err := s.UseHandoff(ctx, "h1", "LV/LV/1", now.Add(2*time.Minute)); err != nil {
				t.Fatalf("use after give-back: %v", err)
			}
			if err := s.FinishHandoff(ctx, "h1", "req-1"); err != nil {
				t.Fatal(err)
			}
			got, err = s.Handoff(ctx, "h1")
			if err != nil || got.RequestID != "req-1" || got.UsedBy != "LV/LV/1" || !got.UsedAt.Equal(now.Add(2*time.Minute)) {
				t.Fatalf("Handoff = %+v, %v", got, err)
			}
			if _, err := s.Handoff(ctx, "nope"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown: %v", err)
			}
			// A day after expiry, the next new handoff purges it.
			later := Handoff{ID: "h2", Code: "CCCC-DDDD", ServiceID: "svc", Requirement: "req", Country: "EE", CreatedAt: now.Add(25 * time.Hour), ExpiresAt: now.Add(25*time.Hour + 5*time.Minute)}
			if err := s.PutHandoff(ctx, later); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Handoff(ctx, "h1"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("old handoff kept: %v", err)
			}
		})
	}
}

func TestServiceKeyIsKeptOnce(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			first, err := s.ServiceKey(ctx, "handoff", []byte("first-key"))
			if err != nil || !bytes.Equal(first, []byte("first-key")) {
				t.Fatalf("first = %q, %v", first, err)
			}
			again, err := s.ServiceKey(ctx, "handoff", []byte("second-key"))
			if err != nil || !bytes.Equal(again, first) {
				t.Fatalf("second = %q, %v; want the first key kept", again, err)
			}
		})
	}
}
