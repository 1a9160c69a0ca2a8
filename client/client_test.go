package client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/api"
)

// TestRequestCallsWithToken runs the evidence-request calls of the SDK
// against a real exchange service.
func TestRequestCallsWithToken(t *testing.T) {
	ctx := context.Background()
	srv, err := exchange.Start(ctx, exchange.Config{
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
