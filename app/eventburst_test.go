package app

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// countingService counts the reads of the requests list and holds each
// until hold is closed.
type countingService struct {
	fakeService
	reads atomic.Int32
	hold  chan struct{}
}

func (c *countingService) Requests(ctx context.Context) ([]api.Request, error) {
	c.reads.Add(1)
	select {
	case <-c.hold:
	case <-ctx.Done():
	}
	return c.fakeService.Requests(ctx)
}

// TestABurstOfEventsReadsTheListOnce: each event the stream heard read the
// whole requests list (and the wallet) in a goroutine of its own; at a
// busy institution a clerk's stream hears every application's steps, and
// 400 new ones made 400 reads of a 400-long list, whose redraws queued on
// Fyne's loop for minutes: the desk, whose own read waited behind them,
// stayed at 13 applications however often Reload was pressed (found as a
// clerk at a busy institution). One read runs at a time; the events heard
// meanwhile make one more.
func TestABurstOfEventsReadsTheListOnce(t *testing.T) {
	svc := &countingService{hold: make(chan struct{})}
	s := testSession(t, svc)
	for range 10 { // the desk's: the clerk's own list does not hold them
		s.Inbox.OnEvent(api.Event{RequestID: "app", Desk: true})
	}
	time.Sleep(100 * time.Millisecond)
	if n := svc.reads.Load(); n != 0 {
		t.Fatalf("10 events of the desk read the clerk's own list %d times", n)
	}
	for i := range 50 {
		s.Inbox.OnEvent(api.Event{RequestID: "r" + string(rune('a'+i%26)), Desk: i%2 == 0})
	}
	deadline := time.Now().Add(5 * time.Second)
	for svc.reads.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // time for any other read to start
	if n := svc.reads.Load(); n != 1 {
		t.Fatalf("50 events started %d reads of the list at once, want 1", n)
	}
	close(svc.hold)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if n := svc.reads.Load(); n != 2 {
		t.Fatalf("after the burst the list was read %d times, want 2: the first, and one for the events heard meanwhile", n)
	}
}
