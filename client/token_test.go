package client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestTokenFuncIsAskedForEveryCall: a signed-in session's token function
// gives the token of each call (so a refreshed token is used at once); a
// call whose token function fails is not made and says the person is
// signed out.
func TestTokenFuncIsAskedForEveryCall(t *testing.T) {
	ctx := context.Background()
	srv, err := exchange.Start(ctx, exchange.Config{
		Network: demonet.Embedded{},
		DataDir: t.TempDir(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth:    exchange.BearerTokens{"first": exchange.DemoCitizen(), "second": exchange.DemoCitizen()},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	var calls atomic.Int32
	current := "first"
	var signedOut error
	c := client.New(srv.URL()).WithTokenFunc(func() (string, error) {
		calls.Add(1)
		return current, signedOut
	})
	if _, err := c.Requests(ctx); err != nil {
		t.Fatal(err)
	}
	current = "second" // refreshed
	if _, err := c.Documents(ctx); err != nil {
		t.Fatal(err)
	}
	current = "revoked"
	var apiErr *client.APIError
	if _, err := c.Requests(ctx); !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
		t.Fatalf("with an unknown token: %v, want 401", err)
	}
	signedOut = errors.New("the session has ended")
	if _, err := c.Requests(ctx); !errors.Is(err, client.ErrSignedOut) {
		t.Fatalf("signed out: %v, want ErrSignedOut", err)
	}
	if err := c.Events(ctx, nil); !errors.Is(err, client.ErrSignedOut) {
		t.Fatalf("events signed out: %v, want ErrSignedOut", err)
	}
	if got := calls.Load(); got != 5 {
		t.Fatalf("token function asked %d times, want once per call (5)", got)
	}
	// Nobody signed in (an empty token): the catalogue answers, the
	// person's routes say 401.
	current, signedOut = "", nil
	if _, err := c.Facets(ctx); err != nil {
		t.Fatalf("the catalogue without a token: %v", err)
	}
	if _, err := c.Requests(ctx); !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
		t.Fatalf("requests without a token: %v, want 401", err)
	}
}
