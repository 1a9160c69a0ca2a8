package app

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// countingService counts the reads of the requests list and of one
// request, and holds each read of one until hold is closed.
type countingService struct {
	fakeService
	listReads atomic.Int32
	hold      chan struct{}

	mu            sync.Mutex
	reads         map[string]int // of one request, by id
	running, most int            // reads under way, now and at most
}

func (c *countingService) Requests(ctx context.Context) ([]api.Request, error) {
	c.listReads.Add(1)
	return c.fakeService.Requests(ctx)
}

func (c *countingService) Request(ctx context.Context, id string) (*api.Request, error) {
	c.mu.Lock()
	c.reads[id]++
	c.running++
	c.most = max(c.most, c.running)
	c.mu.Unlock()
	select {
	case <-c.hold:
	case <-ctx.Done():
	}
	c.mu.Lock()
	c.running--
	c.mu.Unlock()
	return &api.Request{ID: id, State: "ready"}, nil
}

func (c *countingService) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, r := range c.reads {
		n += r
	}
	return n
}

// TestABurstOfEventsReadsOneRequestAtATime: each event the stream heard read the
// whole requests list (and the wallet) in a goroutine of its own; at a
// busy institution a clerk's stream hears every application's steps, and
// 400 new ones made 400 reads of a 400-long list, whose redraws queued on
// Fyne's loop for minutes: the desk, whose own read waited behind them,
// stayed at 13 applications however often Reload was pressed (found as a
// clerk at a busy institution). An event now reads the request it names
// (TestAnEventReadsOnlyTheRequestItNames); one read runs at a time, and
// the requests heard meanwhile are read after it, each once.
func TestABurstOfEventsReadsOneRequestAtATime(t *testing.T) {
	svc := &countingService{hold: make(chan struct{}), reads: map[string]int{}}
	s := testSession(t, svc)
	for range 10 { // the desk's: the clerk's own list does not hold them
		s.Inbox.OnEvent(api.Event{RequestID: "app", Desk: true})
	}
	time.Sleep(100 * time.Millisecond)
	if n := svc.total(); n != 0 {
		t.Fatalf("10 events of the desk read %d requests of the clerk's own list", n)
	}
	named := map[string]bool{}
	for i := range 50 {
		id := "r" + string(rune('a'+i%26))
		s.Inbox.OnEvent(api.Event{RequestID: id, Desk: i%2 == 0})
		if i%2 == 1 {
			named[id] = true
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for svc.total() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // time for any other read to start
	svc.mu.Lock()
	running := svc.running
	svc.mu.Unlock()
	if running != 1 {
		t.Fatalf("50 events started %d reads at once, want 1", running)
	}
	close(svc.hold)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	svc.mu.Lock()
	defer svc.mu.Unlock()
	if svc.most != 1 {
		t.Errorf("%d reads ran at once, want 1", svc.most)
	}
	for id := range named {
		if n := svc.reads[id]; n < 1 || n > 2 {
			t.Errorf("%s, named by 1 or 2 events, was read %d times: want once, or twice when its read was under way as it was heard again", id, n)
		}
	}
	if len(svc.reads) != len(named) {
		t.Errorf("the burst read %d requests, want the %d its citizen's events named: %v", len(svc.reads), len(named), svc.reads)
	}
	if n := svc.listReads.Load(); n != 0 {
		t.Errorf("the burst read the whole list %d times, want 0", n)
	}
}
