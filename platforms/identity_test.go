package platforms

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// realNetwork stands for a network file's network: anything but the demo.
type realNetwork struct{}

func (realNetwork) Connect(context.Context, exchange.Site) (*exchange.Connection, error) {
	return nil, errors.New("not connected in this test")
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestDevelopmentProviderRefusedInProduction(t *testing.T) {
	f := ServiceFlags{DevIdPListen: "127.0.0.1:0"}
	_, err := f.Identity(context.Background(), exchange.Config{Network: realNetwork{}}, quiet())
	if !errors.Is(err, devidp.ErrProduction) {
		t.Fatalf("development provider with a real network: %v, want ErrProduction", err)
	}
}

// TestEmbeddedDefaultSignsInWithTheDevelopmentProvider: without a provider
// configured, the demo network gets the development provider, whose
// tokens the service accepts, beside the demo tokens.
func TestEmbeddedDefaultSignsInWithTheDevelopmentProvider(t *testing.T) {
	ctx := context.Background()
	f := ServiceFlags{DevIdPListen: "127.0.0.1:0", DemoTokens: "citizen=0123456789abcdef"}
	for _, network := range []exchange.Network{demonet.Embedded{}, demonet.Shared{Dir: t.TempDir()}} {
		id, err := f.Identity(ctx, exchange.Config{Network: network}, quiet())
		if err != nil {
			t.Fatalf("%T: %v", network, err)
		}
		defer id.Close(ctx)
		if !id.Development || id.Provider.ClientID != devidp.ClientID {
			t.Fatalf("%T: identity %+v, want the development provider", network, id)
		}
		tok, err := devidptest.SignIn(ctx, id.Provider.Issuer, "mari", "")
		if err != nil {
			t.Fatal(err)
		}
		for token, want := range map[string]string{tok.AccessToken: "EE/EE/48504152718", "0123456789abcdef": exchange.DemoCitizen().Subject} {
			r := httptest.NewRequest("GET", "/v1/requests", nil)
			r.Header.Set("Authorization", "Bearer "+token)
			p, err := id.Auth.Authenticate(r)
			if err != nil || p.Subject != want {
				t.Errorf("%T: token gives %+v, %v; want %s", network, p, err, want)
			}
		}
	}
}
