package signin_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func startIdP(t *testing.T) *devidp.Server {
	t.Helper()
	idp, err := devidp.Start(context.Background(), devidp.Options{Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close(context.Background()) })
	return idp
}

// mariSignsIn is a client of idp whose browser signs Mari in, over an
// encrypted secret file, with ctx's HTTP client; it returns the store too.
func mariSignsIn(t *testing.T, ctx context.Context, idp *devidp.Server) (*signin.Client, secrets.Store) {
	t.Helper()
	store, err := secrets.OpenFile(filepath.Join(t.TempDir(), "secrets.json"), "4321")
	if err != nil {
		t.Fatal(err)
	}
	c, err := signin.New(ctx, idp.Provider(), store, devidptest.Browser(ctx, "mari", ""), quiet())
	if err != nil {
		t.Fatal(err)
	}
	return c, store
}

// TestSignInKeepsTheSessionAcrossRestartsAndSignsOutEverywhere: the
// desktop flow (loopback redirect, PKCE) against the development provider;
// the refresh token goes to the secret store (here its encrypted file), a
// new client resumes from it, a step-up signs in again at High, and
// signing out everywhere ends both.
func TestSignInKeepsTheSessionAcrossRestartsAndSignsOutEverywhere(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t)
	c, store := mariSignsIn(t, ctx, idp)
	if _, err := c.Resume(ctx); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("Resume before any sign-in: %v, want ErrNoSession", err)
	}
	s, err := c.SignIn(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := signin.Person{Identifier: "EE/EE/48504152718", GivenName: "Mari", FamilyName: "Tamm", DateOfBirth: "1985-04-15", Level: identity.LevelSubstantial}
	if s.Person != want {
		t.Fatalf("signed in as %+v, want %+v", s.Person, want)
	}
	access, err := s.AccessToken()
	if err != nil || access == "" {
		t.Fatalf("access token: %q, %v", access, err)
	}
	kept, err := store.Get("oidc/refresh-token")
	if err != nil || kept == "" {
		t.Fatalf("no refresh token kept: %v", err)
	}

	// "Restart": a new client with the same store resumes the session.
	again, err := signin.New(ctx, idp.Provider(), store, func(string) error {
		t.Error("resuming opened the browser")
		return nil
	}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := again.Resume(ctx)
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	// The whole person, level included: a refreshed ID token need not
	// repeat acr (OIDC Core 12.2; the development provider's does not),
	// and a resumed session without its level asked for a new sign-in at
	// every step that needs one.
	if resumed.Person != want {
		t.Errorf("resumed as %+v, want %+v", resumed.Person, want)
	}
	if rotated, _ := store.Get("oidc/refresh-token"); rotated == kept {
		t.Error("the refresh token was not rotated on use")
	}

	// Step-up: the same person signs in again at High.
	c.OpenBrowser = devidptest.Browser(ctx, "mari", identity.LevelHigh)
	high, err := c.SignIn(ctx, identity.LevelHigh)
	if err != nil || high.Person.Level != identity.LevelHigh {
		t.Fatalf("step-up: %+v, %v", high, err)
	}

	if err := high.SignOut(ctx, true); err != nil {
		t.Fatalf("sign out everywhere: %v", err)
	}
	for _, name := range []string{"oidc/refresh-token", "oidc/level"} {
		if _, err := store.Get(name); !errors.Is(err, secrets.ErrNotFound) {
			t.Errorf("%s still kept after signing out: %v", name, err)
		}
	}
	if _, err := high.AccessToken(); err == nil {
		t.Error("a signed-out session still gives access tokens")
	}
	// The other device's session (resumed) ended too: its refresh token is
	// refused.
	if err := store.Set("oidc/refresh-token", resumedRefresh(t, store, resumed)); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Resume(ctx); !errors.Is(err, signin.ErrNoSession) {
		t.Errorf("the other session after signing out everywhere: %v, want ErrNoSession", err)
	}
}

// resumedRefresh is the refresh token the resumed session holds.
func resumedRefresh(t *testing.T, _ secrets.Store, s *signin.Session) string {
	t.Helper()
	rt := signin.RefreshTokenOf(s)
	if rt == "" {
		t.Fatal("the resumed session holds no refresh token")
	}
	return rt
}

// TestStepUpAboveTheAccountIsRefused: an account whose eID is substantial
// cannot step up to High.
func TestStepUpAboveTheAccountIsRefused(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	idp := startIdP(t)
	store, _ := secrets.OpenFile(filepath.Join(t.TempDir(), "s.json"), "4321")
	browserErr := make(chan error, 1)
	browser := devidptest.Browser(ctx, "lukas", identity.LevelHigh)
	c, err := signin.New(ctx, idp.Provider(), store, func(u string) error {
		go func() { browserErr <- browser(u); cancel() }()
		return nil
	}, quiet())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(ctx, identity.LevelHigh); err == nil {
		t.Fatal("signed in at High with a substantial eID")
	}
	if err := <-browserErr; err == nil {
		t.Error("the provider's page accepted level High for lukas")
	}
}

// TestSignInTellsWhichPageItOpened: a browser that did not show the page
// (none set up, or it failed to start) leaves the person with the address
// WithPageOpened gives; opened by hand, the sign-in goes on. A browser
// that says it failed (xdg-open found none: found by trying the app as
// root, where the browser refuses to start) is told through the same
// function and does not end the sign-in.
func TestSignInTellsWhichPageItOpened(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t)
	for _, c := range []struct {
		name    string
		failure error
	}{{"silent", nil}, {"failing", errors.New("xdg-open: exit status 3")}} {
		t.Run(c.name, func(t *testing.T) {
			asked := make(chan string, 1)
			browser := func(page string) error { asked <- page; return c.failure }
			client, err := signin.New(ctx, idp.Provider(), secrets.Memory(), browser, quiet())
			if err != nil {
				t.Fatal(err)
			}
			pages := make(chan string, 1)
			failures := make(chan error, 1)
			told := make(chan error, 1)
			byHand := make(chan error, 1)
			go func() {
				page := <-pages
				if c.failure != nil { // the person reads of the failure, then opens the page by hand
					told <- <-failures
				}
				byHand <- devidptest.Browser(ctx, "mari", "")(page)
			}()
			s, err := client.SignIn(signin.WithPageOpened(ctx, func(page string, browserErr error) {
				if browserErr != nil {
					failures <- browserErr
					return
				}
				pages <- page
			}), "")
			if err != nil {
				t.Fatal(err)
			}
			if err := <-byHand; err != nil {
				t.Fatalf("opening the page by hand: %v", err)
			}
			if s.Person.Identifier != "EE/EE/48504152718" || <-asked == "" {
				t.Fatalf("signed in as %+v", s.Person)
			}
			if c.failure != nil {
				if err := <-told; !errors.Is(err, c.failure) {
					t.Fatalf("the browser's failure was told as %v", err)
				}
			}
		})
	}
}

// TestABrowserFailingAfterTheSignInIsNotTold: the browser's verdict came
// after the sign-in had ended (its last page failed as the sign-in's
// listener closed) and was told to a caller that had moved on: the app's
// tests saw the sign-in dialog redrawn beside the next screen (a data
// race in CI). A verdict after the end is only logged.
func TestABrowserFailingAfterTheSignInIsNotTold(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t)
	signedIn, returned := make(chan struct{}), make(chan struct{})
	browser := func(page string) error {
		err := devidptest.Browser(ctx, "mari", "")(page)
		<-signedIn
		close(returned)
		return errors.Join(err, errors.New("read: connection reset by peer"))
	}
	client, err := signin.New(ctx, idp.Provider(), secrets.Memory(), browser, quiet())
	if err != nil {
		t.Fatal(err)
	}
	late := make(chan error, 1)
	if _, err := client.SignIn(signin.WithPageOpened(ctx, func(_ string, browserErr error) {
		if browserErr != nil {
			late <- browserErr
		}
	}), ""); err != nil {
		t.Fatal(err)
	}
	close(signedIn)
	<-returned
	select {
	case err := <-late:
		t.Fatalf("the browser's failure after the sign-in was told: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
}

// outage is a transport that fails every call while down, as a network
// without the provider does.
type outage struct {
	down atomic.Bool
}

func (o *outage) RoundTrip(r *http.Request) (*http.Response, error) {
	if o.down.Load() {
		return nil, fmt.Errorf("dial tcp %s: connect: connection refused", r.URL.Host)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestAProviderOutageKeepsTheSession: with the sign-in provider out of
// reach (its host down, the phone offline), the access token's refresh
// failed and the app said "Your session has ended", forgot the kept
// refresh token, and at the next start asked for a new eID sign-in (found
// by stopping the service and its provider under a signed-in phone). An
// outage ends nothing: the refresh fails with ErrProviderUnavailable, the
// token is kept, and once the provider answers again the same session
// carries on, and resumes after a restart. Only the provider's own "no"
// (a refresh token it refuses) ends it.
func TestAProviderOutageKeepsTheSession(t *testing.T) {
	net := &outage{}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: net})
	idp := startIdP(t)
	c, store := mariSignsIn(t, ctx, idp)
	s, err := c.SignIn(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	signin.Expire(ctx, s)
	net.down.Store(true)
	if _, err := s.AccessToken(); errors.Is(err, signin.ErrNoSession) || !errors.Is(err, signin.ErrProviderUnavailable) {
		t.Fatalf("refreshing while the provider is out of reach: %v, want ErrProviderUnavailable", err)
	}
	if _, err := c.Resume(ctx); errors.Is(err, signin.ErrNoSession) || !errors.Is(err, signin.ErrProviderUnavailable) {
		t.Fatalf("resuming while the provider is out of reach: %v, want ErrProviderUnavailable", err)
	}
	if kept, err := store.Get("oidc/refresh-token"); err != nil || kept == "" {
		t.Fatalf("the outage lost the kept session: %q, %v", kept, err)
	}
	net.down.Store(false)
	if tok, err := s.AccessToken(); err != nil || tok == "" {
		t.Fatalf("after the outage: %q, %v", tok, err)
	}
	if resumed, err := c.Resume(ctx); err != nil || resumed.Person.Identifier != "EE/EE/48504152718" {
		t.Fatalf("resuming after the outage: %+v, %v", resumed, err)
	}
	// The provider's refusal still ends the session.
	if err := store.Set("oidc/refresh-token", "not-a-token-it-issued"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resume(ctx); !errors.Is(err, signin.ErrNoSession) {
		t.Fatalf("a refresh token the provider refuses: %v, want ErrNoSession", err)
	}
}
