package exchange_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestCloseDoesNotWaitForSilentConnections: a connection that never sent
// a request (a client's spare one, or one whose request was called off
// while it was dialled) does not hold Close up; a request in progress
// still completes. Before, http.Server.Shutdown counted such a
// connection as busy for its first 5 seconds, and Close waited for it: 5
// more seconds at random in the UI tests (TestEveryScreenFitsAPhoneAt200Percent
// took 2.3 s or 8.3 s), and in the app's closing with it.
func TestCloseDoesNotWaitForSilentConnections(t *testing.T) {
	s := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people})
	addr := strings.TrimPrefix(s.URL(), "http://")
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	// A request whose body is still coming when Close begins.
	body, feed := io.Pipe()
	answered := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("POST", s.URL()+"/v1/requests", body)
		req.Header.Set("Authorization", "Bearer "+janisToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	if _, err := feed.Write([]byte(`{"service_id": `)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server is reading the body

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	closed := make(chan error, 1)
	go func() { closed <- s.Close(ctx) }()
	time.Sleep(100 * time.Millisecond)
	feed.Write([]byte(`"lv-birth-certificate"}`))
	feed.Close()
	if err := <-answered; err != nil {
		t.Errorf("the request in progress as Close began: %v", err)
	}
	if err := <-closed; errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close waited for a connection that sent nothing until its context ended: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
}
