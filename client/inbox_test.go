package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestInboxThroughTheSDK: a clerk's message reaches the citizen's inbox
// unread; marking it read is counted, and an unknown id is ErrNotFound.
// After 204 more messages the inbox lists the newest 200 and where the
// next page starts; that page holds the other five, the first message
// last; a page from anything else (an item's id) is a 400.
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

	clerk := client.New(srv.URL()).WithToken("clerk")
	for i := range 204 {
		if _, err := clerk.PostStatus(ctx, r.ID, fmt.Sprintf("Message %d.", i)); err != nil {
			t.Fatal(err)
		}
	}
	first, err := c.Inbox(ctx)
	if err != nil || len(first.Items) != 200 || first.Next == "" || first.Unread != 204 || first.Items[0].Detail != "Message 203." {
		t.Fatalf("the first page: %d items, next %q, %d unread, %v", len(first.Items), first.Next, first.Unread, err)
	}
	older, err := c.InboxBefore(ctx, first.Next)
	if err != nil || len(older.Items) != 5 || older.Next != "" || older.Items[4].Detail != "We have your application." {
		t.Fatalf("the page at %s: %+v, %v", first.Next, older, err)
	}
	var apiErr *client.APIError
	if _, err := c.InboxBefore(ctx, first.Items[199].ID); !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Fatalf("a page from a message's id: %v, want a 400", err)
	}
}
