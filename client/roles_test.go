package client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestAdministratorManagesRolesThroughTheSDK: assign, list and remove a
// clerk role; a citizen is refused with 403.
func TestAdministratorManagesRolesThroughTheSDK(t *testing.T) {
	ctx := context.Background()
	admin := exchange.Principal{Subject: "LV/LV/050580-12121", Role: exchange.RoleAdministrator}
	srv, err := exchange.Start(ctx, exchange.Config{
		Network: demonet.Embedded{},
		DataDir: t.TempDir(),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Auth:    exchange.BearerTokens{"admin": admin, "citizen": exchange.DemoCitizen()},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	a := client.New(srv.URL()).WithToken("admin")
	got, err := a.AssignRole(ctx, api.RoleAssignment{Subject: "LV/LV/230388-11111", Role: api.RoleClerk, Institution: "LV-UR"})
	if err != nil || got.AssignedBy != admin.Subject {
		t.Fatalf("AssignRole = %+v, %v", got, err)
	}
	list, err := a.Roles(ctx)
	if err != nil || len(list) != 1 || list[0].Institution != "LV-UR" {
		t.Fatalf("Roles = %+v, %v", list, err)
	}
	var apiErr *client.APIError
	if _, err := client.New(srv.URL()).WithToken("citizen").Roles(ctx); !errors.As(err, &apiErr) || apiErr.Status != http.StatusForbidden {
		t.Fatalf("a citizen listing roles: %v, want 403", err)
	}
	if err := a.RemoveRole(ctx, "LV/LV/230388-11111"); err != nil {
		t.Fatal(err)
	}
	if err := a.RemoveRole(ctx, "LV/LV/230388-11111"); !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
		t.Fatalf("removing again: %v, want 404", err)
	}
}
