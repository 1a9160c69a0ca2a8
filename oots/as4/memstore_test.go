package as4

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestMemStore(t *testing.T) {
	ctx := context.Background()
	m := NewMemStore()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }
	for i, id := range []string{"b", "a"} {
		if err := m.Add(ctx, OutboxEntry{MessageID: id, Created: now.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Add(ctx, OutboxEntry{MessageID: "a"}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate add: %v", err)
	}
	if err := m.Finish(ctx, "b", "sent", ""); err != nil {
		t.Fatal(err)
	}
	if p, _ := m.Pending(ctx, 0); len(p) != 1 || p[0].MessageID != "a" {
		t.Fatalf("pending %+v", p)
	}
	steps := []struct {
		name string
		do   func() (ClaimState, []byte, error)
		want ClaimState
	}{
		{"fresh", func() (ClaimState, []byte, error) { return m.Claim(ctx, "x", time.Minute) }, Fresh},
		{"held", func() (ClaimState, []byte, error) { return m.Claim(ctx, "x", time.Minute) }, InProgress},
		{"expired", func() (ClaimState, []byte, error) { now = now.Add(time.Hour); return m.Claim(ctx, "x", time.Minute) }, Fresh},
		{"released", func() (ClaimState, []byte, error) { m.Release(ctx, "x"); return m.Claim(ctx, "x", time.Minute) }, Fresh},
		{"done", func() (ClaimState, []byte, error) {
			m.Complete(ctx, "x", []byte("r"))
			return m.Claim(ctx, "x", time.Minute)
		}, Done},
	}
	for _, s := range steps {
		got, receipt, err := s.do()
		if err != nil || got != s.want {
			t.Fatalf("%s: %v %v, want %v", s.name, got, err, s.want)
		}
		if got == Done && string(receipt) != "r" {
			t.Fatalf("%s: receipt %q", s.name, receipt)
		}
	}
}
