package client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestInboxThroughTheSDK: a clerk's message reaches the citizen's inbox
// unread; marking it read is counted, and an unknown id is ErrNotFound.
func TestInboxThroughTheSDK(t *testing.T) {
	ctx := context.Background()
	srv, err := exchange.Start(ctx, exchange.Config{
		Network: demonet.Embedded{},
		DataDir: t.TempDir(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth: exchange.BearerTokens{"citizen": exchange.DemoCitizen(),
			"clerk": {Subject: "LV/LV/230388-11111", Role: exchange.RoleClerk, Institution: "LV-DZS"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	c := client.New(srv.URL()).WithToken("citizen")
	svc, err := c.Service(ctx, "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.New(srv.URL()).WithToken("clerk").PostStatus(ctx, r.ID, "We have your application."); err != nil {
		t.Fatal(err)
	}
	in, err := c.Inbox(ctx)
	if err != nil || in.Unread != 1 || len(in.Items) != 1 || in.Items[0].Detail != "We have your application." || in.Items[0].Read {
		t.Fatalf("Inbox = %+v, %v", in, err)
	}
	if n, err := c.MarkRead(ctx, in.Items[0].ID); err != nil || n != 0 {
		t.Fatalf("MarkRead = %d, %v", n, err)
	}
	if _, err := c.MarkRead(ctx, "no-such-message"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("MarkRead of an unknown id: %v, want ErrNotFound", err)
	}
	if n, err := c.MarkRead(ctx, ""); err != nil || n != 0 {
		t.Fatalf("MarkRead all = %d, %v", n, err)
	}
}
