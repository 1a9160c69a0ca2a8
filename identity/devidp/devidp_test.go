package devidp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
)

func startIdP(t *testing.T, log *slog.Logger) *devidp.Server {
	t.Helper()
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	idp, err := devidp.Start(context.Background(), devidp.Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close(context.Background()) })
	return idp
}

// TestCodeFlowWithPKCEGivesTheEIDASAttributes: a sign-in through the page
// gives an ID token that go-oidc verifies, with the person's eIDAS
// attributes and the level chosen, and a refresh token.
func TestCodeFlowWithPKCEGivesTheEIDASAttributes(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t, nil)
	tok, err := devidptest.SignIn(ctx, idp.Issuer(), "mari", identity.LevelHigh)
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" {
		t.Error("no refresh token")
	}
	rawID, _ := tok.Extra("id_token").(string)
	provider, err := oidc.NewProvider(ctx, idp.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	id, err := provider.Verifier(&oidc.Config{ClientID: devidp.ClientID}).Verify(ctx, rawID)
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	var c struct {
		Identifier  string `json:"person_identifier"`
		GivenName   string `json:"given_name"`
		FamilyName  string `json:"family_name"`
		DateOfBirth string `json:"birthdate"`
		ACR         string `json:"acr"`
	}
	if err := id.Claims(&c); err != nil {
		t.Fatal(err)
	}
	if c.Identifier != "EE/EE/48504152718" || c.GivenName != "Mari" || c.FamilyName != "Tamm" || c.DateOfBirth != "1985-04-15" || c.ACR != identity.ACRHigh {
		t.Errorf("ID token claims %+v", c)
	}
}

// TestRefreshTokensRotateAndSignOutEverywhereRevokes: a refresh token works
// once; ending the session revokes every refresh token of the person.
func TestRefreshTokensRotateAndSignOutEverywhereRevokes(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t, nil)
	conf, err := devidptest.Config(ctx, idp.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	refresh := func(rt string) (*oauth2.Token, error) {
		return conf.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	}
	first, err := devidptest.SignIn(ctx, idp.Issuer(), "janis", "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := devidptest.SignIn(ctx, idp.Issuer(), "janis", "") // another device
	if err != nil {
		t.Fatal(err)
	}
	next, err := refresh(first.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if next.AccessToken == "" || next.RefreshToken == "" || next.RefreshToken == first.RefreshToken {
		t.Errorf("refresh gave %+v", next)
	}
	if _, err := refresh(first.RefreshToken); err == nil {
		t.Error("a used refresh token worked again")
	}

	// Sign out everywhere: the end-session endpoint with the ID token.
	var disc struct {
		EndSession string `json:"end_session_endpoint"`
	}
	provider, _ := oidc.NewProvider(ctx, idp.Issuer())
	if err := provider.Claims(&disc); err != nil || disc.EndSession == "" {
		t.Fatalf("no end_session_endpoint: %v", err)
	}
	idToken, _ := next.Extra("id_token").(string)
	resp, err := http.Get(disc.EndSession + "?" + url.Values{"id_token_hint": {idToken}, "client_id": {devidp.ClientID}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for name, rt := range map[string]string{"this device": next.RefreshToken, "other device": second.RefreshToken} {
		if _, err := refresh(rt); err == nil {
			t.Errorf("%s: refresh token still works after signing out everywhere", name)
		}
	}
}

func TestLevelAboveTheAccountsMeansIsRefused(t *testing.T) {
	idp := startIdP(t, nil)
	if _, err := devidptest.SignIn(context.Background(), idp.Issuer(), "lukas", identity.LevelHigh); err == nil {
		t.Fatal("lukas (eID at substantial) signed in at High")
	}
	if _, err := devidptest.SignIn(context.Background(), idp.Issuer(), "nobody", ""); err == nil {
		t.Fatal("an unknown account signed in")
	}
}

func TestRefusedInProduction(t *testing.T) {
	_, err := devidp.Start(context.Background(), devidp.Options{Production: true})
	if !errors.Is(err, devidp.ErrProduction) {
		t.Fatalf("Start in production: %v, want ErrProduction", err)
	}
}

// TestDevelopmentOnlyOnEveryPageAndInTheLog.
func TestDevelopmentOnlyOnEveryPageAndInTheLog(t *testing.T) {
	var logged bytes.Buffer
	idp := startIdP(t, slog.New(slog.NewTextHandler(&logged, nil)))
	if !strings.Contains(logged.String(), "DEVELOPMENT ONLY") {
		t.Errorf("start-up log does not say development only:\n%s", logged.String())
	}
	ctx := context.Background()
	conf, err := devidptest.Config(ctx, idp.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	verifier := oauth2.GenerateVerifier()
	pages := map[string]string{
		"sign-in":    conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)),
		"expired":    idp.Issuer() + "/login?authRequestID=unknown",
		"signed out": idp.Issuer() + "/signed-out",
	}
	for name, u := range pages {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "DEVELOPMENT ONLY") {
			t.Errorf("%s page lacks the development-only notice:\n%s", name, body)
		}
	}
}

// TestPKCEIsRequired: the public client cannot sign in without a code
// challenge, nor redeem a code without the matching verifier.
func TestPKCEIsRequired(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t, nil)
	conf, err := devidptest.Config(ctx, idp.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(conf.AuthCodeURL("s"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if strings.Contains(loc, "/login") || !strings.HasPrefix(loc, conf.RedirectURL) || !strings.Contains(loc, "error=invalid_request") {
		t.Errorf("an authorization request without PKCE went to %s, want the app's redirect with error=invalid_request", loc)
	}
	plain := conf.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", "abc"), oauth2.SetAuthURLParam("code_challenge_method", "plain"))
	if resp, err = noFollow.Get(plain); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); strings.Contains(loc, "/login") {
		t.Errorf("the plain PKCE method reached the sign-in page (%s)", loc)
	}
}

// TestUnreadableStateFileIsRefused: a damaged state file stops the start
// with a sentence saying what to do, instead of silently ending every
// session; the file is left as it was.
func TestUnreadableStateFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := devidp.Start(context.Background(), devidp.Options{StateFile: path, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err == nil || !strings.Contains(err.Error(), "delete it to start afresh") {
		t.Fatalf("start with a damaged state file: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "{not json" {
		t.Fatalf("the damaged file was changed: %q", data)
	}
}

// TestRevocationEndsARefreshToken: signing out on one device revokes its
// refresh token (RFC 7009) and leaves the person's other devices signed
// in. The provider answered 200 and revoked nothing: the endpoint names a
// refresh token by its id, which the storage looked up as a token (found
// when the portal's Sign out was tried with a copy of its cookie).
func TestRevocationEndsARefreshToken(t *testing.T) {
	ctx := context.Background()
	idp := startIdP(t, nil)
	conf, err := devidptest.Config(ctx, idp.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	this, err := devidptest.SignIn(ctx, idp.Issuer(), "janis", "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := devidptest.SignIn(ctx, idp.Issuer(), "janis", "")
	if err != nil {
		t.Fatal(err)
	}
	var disc struct {
		Revocation string `json:"revocation_endpoint"`
	}
	provider, _ := oidc.NewProvider(ctx, idp.Issuer())
	if err := provider.Claims(&disc); err != nil || disc.Revocation == "" {
		t.Fatalf("no revocation_endpoint: %v", err)
	}
	resp, err := http.PostForm(disc.Revocation, url.Values{"token": {this.RefreshToken}, "token_type_hint": {"refresh_token"}, "client_id": {devidp.ClientID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revocation: %s", resp.Status)
	}
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: this.RefreshToken}).Token(); err == nil {
		t.Fatal("the revoked refresh token still works")
	}
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: other.RefreshToken}).Token(); err != nil {
		t.Fatalf("the other device's refresh token was revoked too: %v", err)
	}
}

// TestTheIDTokenOutlivesAShortAccessToken: the ID token lived as long as
// the access token (AccessTokenTTL), and its expiry is in whole seconds,
// so with the 1-second tokens a test asks for, the portal's check of the
// ID token right after the code's redemption sometimes found it expired
// (a CI run: the sign-in answered 400). AccessTokenTTL is the access
// token's: the ID token still verifies 1.5 s after the sign-in.
func TestTheIDTokenOutlivesAShortAccessToken(t *testing.T) {
	ctx := context.Background()
	idp, err := devidp.Start(ctx, devidp.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AccessTokenTTL: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close(context.Background()) })
	tok, err := devidptest.SignIn(ctx, idp.Issuer(), "mari", identity.LevelSubstantial)
	if err != nil {
		t.Fatal(err)
	}
	provider, err := oidc.NewProvider(ctx, idp.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	rawID, _ := tok.Extra("id_token").(string)
	if _, err := provider.Verifier(&oidc.Config{ClientID: devidp.ClientID}).Verify(ctx, rawID); err != nil {
		t.Errorf("the ID token 1.5 s after the sign-in: %v", err)
	}
}
