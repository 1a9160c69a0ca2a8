package main

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms"
)

// runningService starts an exchange service with the demo network and
// the development identity provider, as `vienreiz-server` runs it, with
// its data in dir, and returns it.
func runningService(t *testing.T, dir string) (*exchange.Server, *platforms.Identity) {
	t.Helper()
	ctx := context.Background()
	id, err := platforms.StartIdentity(ctx, identity.Provider{}, false, "127.0.0.1:0", dir, nil, quiet())
	must(t, err)
	t.Cleanup(func() { id.Close(context.Background()) })
	srv, err := exchange.Start(ctx, exchange.Config{DataDir: dir, Logger: quiet(), Network: demonet.Embedded{},
		Auth: id.Auth, SignIn: id.Provider})
	must(t, err)
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv, id
}

// TestRemoteServiceSaysWhereToSignIn: with -service the app starts no
// service of its own and signs in with the provider the running service
// names at GET /v1/sign-in; -oidc-issuer, when given, wins.
func TestRemoteServiceSaysWhereToSignIn(t *testing.T) {
	srv, id := runningService(t, t.TempDir())
	svc, err := remoteService(context.Background(), &appFlags{Service: srv.URL() + "/"})
	must(t, err)
	if svc.url != srv.URL() {
		t.Errorf("service address %q, want %q", svc.url, srv.URL())
	}
	if svc.signIn.Issuer != id.Provider.Issuer || svc.signIn.ClientID != id.Provider.ClientID || svc.signIn.Claims != id.Provider.Claims {
		t.Errorf("sign-in %+v, want the service's %+v", svc.signIn, id.Provider)
	}

	given := appFlags{Service: srv.URL()}
	given.OIDCIssuer, given.OIDCClientID = "https://idp.example.lv", "vienreiz-app"
	svc, err = remoteService(context.Background(), &given)
	must(t, err)
	if svc.signIn.Issuer != "https://idp.example.lv" || svc.signIn.ClientID != "vienreiz-app" {
		t.Errorf("-oidc-issuer was not used: %+v", svc.signIn)
	}
}

// TestRemoteServiceDownIsNamed: a service that does not answer, or one
// that names no identity provider (demo tokens only), is an error that
// names the address, not a hang or a sign-in that fails later.
func TestRemoteServiceDownIsNamed(t *testing.T) {
	_, err := remoteService(context.Background(), &appFlags{Service: "http://127.0.0.1:1"})
	if err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:1 did not say where people sign in") {
		t.Errorf("service down: %v", err)
	}
	srv, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Logger: quiet(), Network: demonet.Embedded{},
		Auth: exchange.BearerTokens{"t": exchange.DemoCitizen()}})
	must(t, err)
	defer srv.Close(context.Background())
	_, err = remoteService(context.Background(), &appFlags{Service: srv.URL()})
	if err == nil || !strings.Contains(err.Error(), "names no identity provider") {
		t.Errorf("service without a provider: %v", err)
	}
}

// TestServiceAddressMustKeepTokensSafe: the app sends sign-in tokens to
// the service, so plain http is taken only for this machine.
func TestServiceAddressMustKeepTokensSafe(t *testing.T) {
	for raw, ok := range map[string]bool{
		"":                            true,
		"https://vienreiz.gov.lv":     true,
		"http://127.0.0.1:8080":       true,
		"http://localhost:8080/":      true,
		"http://[::1]:8080":           true,
		"http://vienreiz.gov.lv":      false,
		"http://192.168.1.5:8080":     false,
		"vienreiz.gov.lv":             false,
		"ftp://vienreiz.gov.lv":       false,
		"https://":                    false,
		"https://vienreiz.gov.lv/%zz": false,
	} {
		f := appFlags{Service: raw}
		if err := f.check(); (err == nil) != ok {
			t.Errorf("-service %q: %v, want accepted %v", raw, err, ok)
		}
	}
}

// TestPackageNamesItsService: a package's metadata "service" (a phone app
// takes no flags) is the service when neither -service nor
// VIENREIZ_SERVICE names one, and is checked like them.
func TestPackageNamesItsService(t *testing.T) {
	built := fyne.AppMetadata{Custom: map[string]string{"service": "https://vienreiz.gov.lv"}}
	f := appFlags{}
	f.useBuiltInService(built)
	if f.Service != "https://vienreiz.gov.lv" || f.check() != nil {
		t.Errorf("from the package's metadata: %q, %v", f.Service, f.check())
	}
	f = appFlags{Service: "http://127.0.0.1:8080"}
	f.useBuiltInService(built)
	if f.Service != "http://127.0.0.1:8080" {
		t.Errorf("-service was replaced by the package's address: %q", f.Service)
	}
	f = appFlags{}
	f.useBuiltInService(fyne.AppMetadata{Custom: map[string]string{"service": "http://vienreiz.gov.lv"}})
	if f.check() == nil {
		t.Error("a package's plain-http address of another machine was taken")
	}
	f = appFlags{}
	f.useBuiltInService(fyne.AppMetadata{})
	if f.Service != "" {
		t.Errorf("no metadata gave %q", f.Service)
	}
}
