package client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestRequestCallsWithToken runs the evidence-request calls of the SDK
// against a real exchange service.
func TestRequestCallsWithToken(t *testing.T) {
	ctx := context.Background()
	srv, err := exchange.Start(ctx, exchange.Config{
		Network: demonet.Embedded{},
		DataDir: t.TempDir(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth:    exchange.BearerTokens{"t1": exchange.DemoCitizen()},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	anonymous := client.New(srv.URL())
	var apiErr *client.APIError
	if _, err := anonymous.Requests(ctx); !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnauthorized {
		t.Fatalf("without a token: %v, want 401", err)
	}
	c := anonymous.WithToken("t1")
	svc, err := c.Service(ctx, "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil || r.State != "ready" {
		t.Fatalf("create: %+v, %v", r, err)
	}
	if r, err = c.GiveExplicitRequest(ctx, r.ID); err != nil || r.Timeline[2].Event != "explicit_request_given" {
		t.Fatalf("explicit request: %+v, %v", r, err)
	}
	if list, err := c.Requests(ctx); err != nil || len(list) != 1 {
		t.Fatalf("list: %v, %v", list, err)
	}
	if r, err = c.CancelRequest(ctx, r.ID); err != nil || r.State != "cancelled" {
		t.Fatalf("cancel: %+v, %v", r, err)
	}
	if _, err := c.Request(ctx, "no-such-request"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("unknown request: %v", err)
	}
}

// TestEventsStreamTheCallersChanges: a subscriber sees its own request's
// changes as server-sent events, and nobody else's.
func TestEventsStreamTheCallersChanges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := exchange.Start(ctx, exchange.Config{
		Network: demonet.Embedded{},
		DataDir: t.TempDir(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth:    exchange.BearerTokens{"t1": exchange.DemoCitizen(), "t2": {Subject: "LV/LV/020285-54321"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	mine, theirs := make(chan api.Event, 16), make(chan api.Event, 16)
	go client.New(srv.URL()).WithToken("t1").Events(ctx, func(e api.Event) { mine <- e })
	go client.New(srv.URL()).WithToken("t2").Events(ctx, func(e api.Event) { theirs <- e })
	time.Sleep(200 * time.Millisecond) // let both subscribe
	c := client.New(srv.URL()).WithToken("t1")
	svc, _ := c.Service(ctx, "lv-birth-certificate")
	r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	deadline := time.After(5 * time.Second)
	for !seen["provider_found"] {
		select {
		case e := <-mine:
			if e.RequestID != r.ID {
				t.Fatalf("event of another request: %+v", e)
			}
			seen[e.Event] = true
		case <-deadline:
			t.Fatalf("events seen: %v", seen)
		}
	}
	select {
	case e := <-theirs:
		t.Fatalf("another person received %+v", e)
	case <-time.After(200 * time.Millisecond):
	}
}
