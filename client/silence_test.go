package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// TestASilentEventStreamIsTakenForDead: found by trying the app with the
// service paused (SIGSTOP): the event stream's connection stayed open and
// said nothing, and the app waited on it for ever, its events lost, as it
// would behind a network that went away without a word (a phone changing
// networks). The service writes a heartbeat every 15 s; a stream that
// says nothing for StreamSilence now ends with an error wrapping
// ErrUnavailable, so that the app reconnects and reloads. A stream that
// keeps beating is not cut.
func TestASilentEventStreamIsTakenForDead(t *testing.T) {
	was := client.StreamSilence
	client.StreamSilence = 150 * time.Millisecond
	t.Cleanup(func() { client.StreamSilence = was })
	beats := 0 // heartbeats written before the stream goes quiet
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for range beats {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
			fmt.Fprint(w, ": keep-alive\n\n")
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, "event: request\ndata: {\"request_id\":\"r1\",\"state\":\"sent\"}\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done() // then silence: the network went away
	}))
	defer srv.Close()
	c := client.New(srv.URL).WithToken("t")

	for _, n := range []int{0, 8} {
		beats = n
		var got []api.Event
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- c.Events(context.Background(), func(e api.Event) { got = append(got, e) }) }()
		select {
		case err := <-done:
			if !errors.Is(err, client.ErrUnavailable) {
				t.Fatalf("%d beats, then silence: Events returned %v, want ErrUnavailable", n, err)
			}
			if lasted := time.Since(start); n > 0 && lasted < time.Duration(n)*50*time.Millisecond {
				t.Fatalf("a stream beating every 50 ms was cut after %v", lasted)
			}
			if len(got) != 1 || got[0].RequestID != "r1" {
				t.Fatalf("events read before the silence: %+v", got)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%d beats, then silence: Events still waits after 5 s", n)
		}
	}
}
