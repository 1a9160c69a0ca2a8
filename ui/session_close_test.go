package ui

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
)

// TestScreenCallsEndWithTheSession: the calls the screens make run under
// the session's root context, so closing the app ends a call that hangs
// at once. Before, they ran under their own context with only their
// time-out (10–20 s), and Session.Close (which waits for the session's
// work) waited that long for an exchange service that did not answer.
func TestScreenCallsEndWithTheSession(t *testing.T) {
	test.NewTempApp(t)
	asked := make(chan struct{}, 16)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		<-r.Context().Done() // answers nothing until the caller gives up
	}))
	defer hang.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := app.NewSession(client.New(hang.URL), memPrefs{"language": "en"}, app.About{ServiceURL: hang.URL}, log)
	// The screens' work runs in the session's goroutines, as in the app,
	// once they are built and one at a time: Fyne's test driver runs
	// screen updates on the calling goroutine, where the app's loop runs
	// them one after the other.
	built := make(chan struct{})
	var one sync.Mutex
	s.Background = func(task func()) {
		s.Go(func(context.Context) {
			<-built
			one.Lock()
			defer one.Unlock()
			task()
		})
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(1000, 700))
	Build(w, s) // the services screen searches at once
	close(built)
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the screen asked the service nothing")
	}
	start := time.Now()
	if !s.Close(3 * time.Second) {
		t.Fatalf("the session's work did not end within 3 s of Close: a screen's call outlived the session")
	}
	t.Logf("closed in %v", time.Since(start).Round(time.Millisecond))
}
