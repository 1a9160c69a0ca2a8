//go:build !nodemo

package platforms

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// TestDevelopmentSessionSurvivesARestart: Jānis signs in to the app with
// the embedded development provider; the app (provider included) stops
// and starts again on another port with the same data folder, and his
// session resumes without the browser: the service accepts the resumed
// token as his. The provider's keys and refresh tokens are in a private
// file of the data folder. Signed out everywhere, the next start has no
// session to resume. Without the data folder (as before) nothing is kept.
func TestDevelopmentSessionSurvivesARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := ServiceFlags{DevIdPListen: "127.0.0.1:0"}
	cfg := exchange.Config{DataDir: dir, Network: demonet.Embedded{}}
	store, err := secrets.OpenFile(filepath.Join(dir, "secrets.json"), "246810")
	if err != nil {
		t.Fatal(err)
	}
	noBrowser := func(string) error { t.Error("resuming opened the browser"); return errors.New("no browser") }
	start := func(cfg exchange.Config) (*Identity, *signin.Client) {
		t.Helper()
		id, err := f.Identity(ctx, cfg, quiet())
		if err != nil {
			t.Fatal(err)
		}
		c, err := signin.New(ctx, id.Provider, store, noBrowser, quiet())
		if err != nil {
			t.Fatal(err)
		}
		return id, c
	}
	id, c := start(cfg)
	c.OpenBrowser = devidptest.Browser(ctx, "janis", "")
	if _, err := c.SignIn(ctx, ""); err != nil {
		t.Fatal(err)
	}
	firstIssuer := id.Provider.Issuer
	id.Close(ctx)
	if fi, err := os.Stat(filepath.Join(dir, DevIdPStateFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the provider's state file: %v, %v", fi, err)
	}

	id, c = start(cfg)
	if id.Provider.Issuer == firstIssuer {
		t.Logf("the provider came back on the same port %s", firstIssuer)
	}
	s, err := c.Resume(ctx)
	if err != nil {
		t.Fatalf("the session did not survive the restart: %v", err)
	}
	tok, err := s.AccessToken()
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/v1/requests", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	if p, err := id.Auth.Authenticate(r); err != nil || p.Subject != "LV/LV/01019012345" {
		t.Fatalf("the resumed token gives %+v, %v", p, err)
	}
	if err := s.SignOut(ctx, true); err != nil {
		t.Fatal(err)
	}
	id.Close(ctx)

	id, c = start(cfg)
	if _, err := c.Resume(ctx); err == nil {
		t.Fatal("a session signed out everywhere resumed after a restart")
	}
	c.OpenBrowser = devidptest.Browser(ctx, "janis", "")
	if _, err := c.SignIn(ctx, ""); err != nil {
		t.Fatal(err)
	}
	id.Close(ctx)

	// Without a data folder the provider keeps nothing: the kept refresh
	// token is unknown to the next one.
	memory := exchange.Config{Network: demonet.Embedded{}}
	id, c = start(memory)
	c.OpenBrowser = devidptest.Browser(ctx, "janis", "")
	if _, err := c.SignIn(ctx, ""); err != nil {
		t.Fatal(err)
	}
	id.Close(ctx)
	id, c = start(memory)
	defer id.Close(ctx)
	if _, err := c.Resume(ctx); err == nil {
		t.Fatal("a provider without a data folder resumed a session")
	}
}
