package client_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// calls are the client's three ways of calling the service: a JSON call
// (resty), the event stream and a download.
var calls = map[string]func(ctx context.Context, c *client.Client) error{
	"Inbox": func(ctx context.Context, c *client.Client) error { _, err := c.Inbox(ctx); return err },
	"Events": func(ctx context.Context, c *client.Client) error {
		return c.Events(ctx, func(api.Event) {})
	},
	"Evidence": func(ctx context.Context, c *client.Client) error { _, err := c.Evidence(ctx, "r1", 0); return err },
	"Calendar": func(ctx context.Context, c *client.Client) error { return c.Calendar(ctx, &bytes.Buffer{}) },
}

// TestCalledOffIsNotUnavailable: a call its caller cancels while the
// service is still working on it ends with context.Canceled and does not
// say the service is unavailable; a service that is not there still
// does. Before, a cancelled call wrapped ErrUnavailable, and the app's
// inbox, reconnecting for the person who had just signed in, showed "the
// service cannot be reached" for a moment.
func TestCalledOffIsNotUnavailable(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // still working when the caller gives up
	}))
	defer slow.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			err := call(ctx, client.New(slow.URL).WithToken("t"))
			if !errors.Is(err, context.Canceled) || errors.Is(err, client.ErrUnavailable) {
				t.Errorf("called off: %v; want context.Canceled and not ErrUnavailable", err)
			}
			err = call(context.Background(), client.New(gone.URL).WithToken("t"))
			if !errors.Is(err, client.ErrUnavailable) {
				t.Errorf("no service: %v; want ErrUnavailable", err)
			}
		})
	}
}
