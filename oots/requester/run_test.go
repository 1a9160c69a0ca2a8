package requester

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
)

func newTestRequester(t *testing.T) *Requester {
	t.Helper()
	s, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(context.Background(), Config{
		PModes: s.Requester.Config, Identity: s.Requester.Identity, Trust: s.Requester.Trust,
		Dir: t.TempDir(), OnAnswer: func(context.Context, Answer) error { return nil }, Logger: quietLogger(),
		ResendInterval: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRunStops: Run returns nil when Close stops it, ctx's error when ctx
// ends, and refuses to run twice or after Close.
func TestRunStops(t *testing.T) {
	r := newTestRequester(t)
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	time.Sleep(30 * time.Millisecond) // a few resend rounds over an empty outbox
	if err := r.Run(context.Background()); err == nil {
		t.Error("second Run accepted")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after Close: %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop on Close")
	}
	if err := r.Run(context.Background()); err == nil {
		t.Error("Run after Close accepted")
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	r2 := newTestRequester(t)
	defer r2.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- r2.Run(ctx) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: %v, want context.Canceled", err)
	}
}

// TestRunPurgesOldAS4Records: Run purges the duplicate-detection records
// older than the retention: a MessageId received a retention ago is
// claimed afresh (a new message), not answered as a duplicate.
func TestRunPurgesOldAS4Records(t *testing.T) {
	r := newTestRequester(t)
	defer r.Close()
	ctx := context.Background()
	if _, _, err := r.db.Claim(ctx, "old@de", time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := r.db.Complete(ctx, "old@de", []byte("receipt")); err != nil {
		t.Fatal(err)
	}
	r.cfg.Now = func() time.Time { return time.Now().Add(r.cfg.Retention + 24*time.Hour) }
	go r.Run(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for {
		state, _, err := r.db.Claim(ctx, "old@de", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if state == as4.Fresh {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the record of a MessageId received a retention ago is still there (%v)", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
