package app

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
)

// streamingService holds its event stream open until the caller's
// context ends, as the real service does.
type streamingService struct {
	fakeService
	streams chan struct{}
}

func (f *streamingService) Events(ctx context.Context, _ func(api.Event)) error {
	f.streams <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// TestSessionEndsItsWorkAtClose (issue 15, one root context): the event
// stream and background work of a session run under its root context;
// Close ends it, and no goroutine the session started is left after it
// returns — before, the stream ran on its own context and outlived the
// window.
func TestSessionEndsItsWorkAtClose(t *testing.T) {
	test.NewTempApp(t)
	// The count is of the whole process: earlier tests' sessions, which
	// they do not close, may still be ending a call (once in CI under the
	// race detector, "1 goroutines of the session outlive it").
	leftover := time.Now().Add(5 * time.Second)
	for appGoroutines() > 0 && time.Now().Before(leftover) {
		time.Sleep(10 * time.Millisecond)
	}
	before := appGoroutines()
	svc := &streamingService{streams: make(chan struct{}, 1)}
	s := testSession(t, svc)
	s.Go(func(ctx context.Context) { s.Inbox.Run(ctx, svc) })
	<-svc.streams // the stream is open
	waited := make(chan error, 1)
	s.Background(func() {
		<-s.Context().Done() // a slow call, ended by quitting
		waited <- s.Context().Err()
	})
	if n := appGoroutines() - before; n < 2 {
		t.Fatalf("%d goroutines of the session running, want the stream and the call", n)
	}
	if !s.Close(5 * time.Second) {
		t.Fatal("the session's work did not stop at Close")
	}
	if err := <-waited; err == nil {
		t.Error("the background call did not see the session end")
	}
	// Close returns once every task has called work.Done; the goroutine
	// that did may still be returning from start's closure (CI saw "1
	// goroutines of the session outlive it" so), and is given a moment.
	gone := time.Now().Add(time.Second)
	for appGoroutines()-before > 0 && time.Now().Before(gone) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := appGoroutines() - before; n > 0 {
		t.Fatalf("%d goroutines of the session outlive it", n)
	}
}

// TestClosedSessionStartsNoWork: work asked for after Close has begun (a
// search the screen started as the window quit) does not run. Before, it
// ran after the window's loop had stopped, and Fyne ran its screen
// updates on the task's own goroutine ("Error in Fyne call thread"), one
// of the ways the app hung when quit right after it started.
func TestClosedSessionStartsNoWork(t *testing.T) {
	test.NewTempApp(t)
	s := NewSession(&streamingService{streams: make(chan struct{}, 1)}, &memPrefs{}, About{}, quiet())
	if !s.Close(time.Second) {
		t.Fatal("an idle session did not close")
	}
	ran := make(chan struct{}, 2)
	s.Go(func(context.Context) { ran <- struct{}{} })
	s.Background(func() { ran <- struct{}{} })
	if !s.Close(time.Second) {
		t.Fatal("a second Close waited for work")
	}
	select {
	case <-ran:
		t.Fatal("a task given after Close ran")
	case <-time.After(100 * time.Millisecond):
	}
}

// TestSettleWaitsForTheScreensLoads: Settle returns once the work
// started with Background has ended (the app then gives start-up's
// garbage back to the system), not while a load runs, and gives up when
// its context ends; a stream started with Go is not waited for.
func TestSettleWaitsForTheScreensLoads(t *testing.T) {
	test.NewTempApp(t)
	s := NewSession(&streamingService{streams: make(chan struct{}, 1)}, &memPrefs{}, About{}, quiet())
	defer s.Close(time.Second)
	s.Go(func(ctx context.Context) { <-ctx.Done() }) // a stream
	if err := s.Settle(context.Background()); err != nil {
		t.Fatalf("an idle session did not settle: %v", err)
	}
	release := make(chan struct{})
	s.Background(func() { <-release })
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Settle(short); err == nil {
		t.Fatal("the session settled while a load ran")
	}
	settled := make(chan error, 1)
	go func() { settled <- s.Settle(context.Background()) }()
	close(release)
	select {
	case err := <-settled:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not settle once the load ended")
	}
}

// appGoroutines counts the goroutines the session started (created by
// Session.Go and Background, in Session.start) or that run the inbox
// stream.
func appGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "app.(*Session).start") || strings.Contains(g, "app.(*Inbox).Run") {
			n++
		}
	}
	return n
}
