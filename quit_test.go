package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
)

// quitRecord notes, in order, what closing the app did.
type quitRecord struct {
	mu     sync.Mutex
	events []string
}

func (r *quitRecord) note(e string) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *quitRecord) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// startedSession is a start-up that has ended with a session whose one
// background task notes when the session's context ends.
func startedSession(t *testing.T, r *quitRecord) *startUp {
	t.Helper()
	s := app.NewSession(client.New("http://127.0.0.1:1"), test.NewTempApp(t).Preferences(), app.About{}, quiet())
	s.Go(func(ctx context.Context) {
		<-ctx.Done()
		r.note("session work ended")
	})
	st := &startUp{ready: make(chan struct{}), parts: &appParts{session: s}, begun: true}
	close(st.ready)
	return st
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestClosingEndsTheSessionBeforeTheWindow (issue 15: the app hung when
// quit right after it started): the session's background work ends
// before the window's loop is told to quit, so that no screen update
// runs once the loop has stopped; with the loop ending, the process is
// left to run's own clean-up.
func TestClosingEndsTheSessionBeforeTheWindow(t *testing.T) {
	r := &quitRecord{}
	st := startedSession(t, r)
	ctx, closeApp := context.WithCancel(context.Background())
	loopEnded := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		closeInOrder(ctx, st, func() { r.note("quit"); close(loopEnded) }, loopEnded, time.Minute,
			func(int) { r.note("exit") }, quiet())
	}()
	closeApp() // the window's close button
	<-done
	got := r.list()
	if len(got) != 2 || got[0] != "session work ended" || got[1] != "quit" {
		t.Fatalf("closing did %q, want the session's work to end, then quit (and no forced exit)", got)
	}
}

// TestClosingExitsWhenTheWindowLoopHangs: Fyne 2.7.1's loop can miss an
// event that arrives while it drains at quit and then never returns from
// ShowAndRun (seen as the app not exiting 60 s after SIGTERM, its main
// goroutine in Lifecycle.WaitForEvents). The app then closes its parts
// itself and exits, with code 0, after the grace period.
func TestClosingExitsWhenTheWindowLoopHangs(t *testing.T) {
	r := &quitRecord{}
	st := startedSession(t, r)
	ctx, closeApp := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go closeInOrder(ctx, st, func() { r.note("quit") }, make(chan struct{}), 50*time.Millisecond,
		func(code int) { exited <- code }, quiet())
	closeApp()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d after a clean close, want 0", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the app did not exit while its window's loop hung")
	}
	if got := r.list(); len(got) != 2 || got[1] != "quit" {
		t.Fatalf("closing did %q", got)
	}
	if st.finish(quiet()) != 0 {
		t.Error("a second finish (run's, had the loop ended late) did not give the same code")
	}
}

// TestClosingOnThePINScreenIsNoFailure: closing the app while start-up
// waits (for the PIN) ends start-up, and the exit code is 0.
func TestClosingOnThePINScreenIsNoFailure(t *testing.T) {
	st := &startUp{ready: make(chan struct{}), startErr: context.Canceled, begun: true}
	close(st.ready)
	if code := st.finish(quiet()); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	failed := &startUp{ready: make(chan struct{}), startErr: io.ErrUnexpectedEOF, begun: true}
	close(failed.ready)
	if code := failed.finish(quiet()); code != 1 {
		t.Errorf("exit code %d after a failed start, want 1", code)
	}
}

// TestClosingBeforeTheWindowShowed: Fyne's phone driver shows the window
// (and so starts the app's parts) only at its first size; a phone app
// closed before that waited 30 s for a start-up that had never begun and
// exited with 1. Now it exits at once with 0, and start-up no longer
// begins afterwards.
func TestClosingBeforeTheWindowShowed(t *testing.T) {
	st := &startUp{ready: make(chan struct{})}
	ctx, closeApp := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go closeInOrder(ctx, st, func() {}, make(chan struct{}), 50*time.Millisecond,
		func(code int) { exited <- code }, quiet())
	closeApp()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("closing waited for a start-up that had not begun")
	}
	if st.begin() {
		t.Error("start-up may begin after the app closed")
	}
}

// TestSignalsAreTheAppsAlone: Fyne's desktop driver listens for SIGTERM
// from the start of its loop and quits the loop at once, before the
// session's work has ended (a CI run's race detector caught the session's
// last screen update running off the UI goroutine). Once taken over, a
// SIGTERM closes the app through closeApp only and no longer reaches a
// listener registered before, as Fyne's is.
func TestSignalsAreTheAppsAlone(t *testing.T) {
	closed := make(chan struct{})
	s := closeOnSignal(func() { close(closed) })
	defer s.stop()
	fyneListener := make(chan os.Signal, 1)
	signal.Notify(fyneListener, syscall.SIGTERM)
	defer signal.Stop(fyneListener)
	s.takeOver()
	must(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not close the app")
	}
	select {
	case <-fyneListener:
		t.Fatal("the signal reached the listener registered before takeOver (Fyne's)")
	case <-time.After(300 * time.Millisecond):
	}
}
