package portal

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/vienreiz/vienreiz/identity"
)

// pendingCookie carries a sign-in at the provider from its start to its
// callback: its state, nonce and PKCE verifier.
const pendingCookie = "vienreiz_portal_signin"

// errNoSignIn answers a callback with no pending sign-in (or a mangled
// one) in its browser.
var errNoSignIn = errors.New("no sign-in was started in this browser, or it took over 10 minutes")

// callbackPath is where the provider sends the browser back; it is
// registered with the provider as the portal's redirect URI
// (https://HOST/portal/callback).
const callbackPath = "/portal/callback"

// webSignIn signs people in on the portal at an OpenID Connect provider:
// the authorization code flow with PKCE, as a public client. The
// provider's discovery document is read at the first sign-in, so the
// portal starts while the provider is down.
type webSignIn struct {
	provider identity.Provider

	mu       sync.Mutex
	oidc     *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// discover reads the provider's discovery document once it answers.
func (s *webSignIn) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.oidc == nil {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := oidc.NewProvider(ctx, s.provider.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("the identity provider %s does not answer: %w", s.provider.Issuer, err)
		}
		s.oidc, s.verifier = p, p.Verifier(&oidc.Config{ClientID: s.provider.ClientID})
	}
	return s.oidc, s.verifier, nil
}

func (s *webSignIn) config(r *http.Request, p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID:    s.provider.ClientID,
		Endpoint:    p.Endpoint(),
		RedirectURL: baseURL(r) + callbackPath,
		Scopes:      []string{oidc.ScopeOpenID, "profile", oidc.ScopeOfflineAccess},
	}
}

// startSignIn sends the browser to the provider's sign-in page.
func (p *portal) startSignIn(w http.ResponseWriter, r *http.Request) {
	provider, _, err := p.web.discover(r.Context())
	if err != nil {
		p.cfg.Log.Warn("portal: sign-in", "err", err)
		p.problem(w, r, http.StatusServiceUnavailable, "portal.sign_in_failed", "portal.provider_down")
		return
	}
	keepLanguage(w, r)
	state, nonce, verifier := randomText(), randomText(), oauth2.GenerateVerifier()
	next := base64.RawURLEncoding.EncodeToString([]byte(returnPath(r.URL.Query().Get("next"))))
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: strings.Join([]string{state, nonce, verifier, next}, "."), Path: callbackPath,
		MaxAge: 600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	page := p.web.config(r, provider).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce),
		oauth2.SetAuthURLParam("ui_locales", language(r)))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, page, http.StatusSeeOther)
}

// callback ends a sign-in: the code is redeemed, the ID token checked
// against the sign-in's nonce, and the tokens kept as the portal's
// session, which the refresh token renews (session).
func (p *portal) callback(w http.ResponseWriter, r *http.Request) {
	if p.web == nil {
		p.problem(w, r, http.StatusNotFound, "portal.not_found", "portal.not_found_body")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: callbackPath, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	tokens, next, err := p.redeem(r)
	if err != nil {
		p.cfg.Log.Warn("portal: sign-in not completed", "err", err)
		p.problem(w, r, http.StatusBadRequest, "portal.sign_in_failed", "portal.sign_in_failed_body", err.Error())
		return
	}
	if _, ok := p.cfg.People.Person(r, tokens.Access); !ok {
		p.problem(w, r, http.StatusForbidden, "portal.sign_in_failed", "portal.sign_in_refused")
		return
	}
	p.setSession(w, r, tokens)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// redeem checks the provider's answer against the pending sign-in and
// returns the tokens it gives and the portal page to go back to.
func (p *portal) redeem(r *http.Request) (tokens sessionTokens, next string, err error) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return sessionTokens{}, "", fmt.Errorf("the identity provider answered %s %s", e, q.Get("error_description"))
	}
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		return sessionTokens{}, "", errNoSignIn
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 4 {
		return sessionTokens{}, "", errNoSignIn
	}
	state, nonce, verifier := parts[0], parts[1], parts[2]
	back, _ := base64.RawURLEncoding.DecodeString(parts[3])
	if got := q.Get("state"); got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1 {
		return sessionTokens{}, "", errors.New("the answer belongs to another sign-in (state)")
	}
	provider, idVerifier, err := p.web.discover(r.Context())
	if err != nil {
		return sessionTokens{}, "", err
	}
	tok, err := p.web.config(r, provider).Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return sessionTokens{}, "", fmt.Errorf("redeeming the code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	id, err := idVerifier.Verify(r.Context(), raw)
	if err != nil {
		return sessionTokens{}, "", fmt.Errorf("the ID token is not valid: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(nonce)) != 1 {
		return sessionTokens{}, "", errors.New("the ID token belongs to another sign-in (nonce)")
	}
	return sessionTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken}, returnPath(string(back)), nil
}

// returnPath is next when it is a page of the portal, else the portal's
// front page: Sign in never sends the browser to another site.
func returnPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/portal/"
	}
	clean := path.Clean(u.Path)
	if !strings.HasPrefix(clean, "/portal/") || clean == callbackPath || clean == "/portal/sign-in" {
		return "/portal/"
	}
	return (&url.URL{Path: clean}).EscapedPath()
}

// randomText is 32 random bytes, base64url.
func randomText() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
