// Package signin signs a person in to the app with OpenID Connect: the
// authorization code flow with PKCE (golang.org/x/oauth2) against the
// configured provider, the ID token checked by github.com/coreos/go-oidc.
// On the desktop the provider sends the browser back to a loopback
// listener (RFC 8252). The refresh token is kept in the secret store, so a
// restart resumes the session; sign out revokes it, and "sign out
// everywhere" ends every session of the person at the provider.
package signin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// refreshTokenName is the secret the refresh token is kept under, and
// levelName the level of assurance of the sign-in it came from.
const (
	refreshTokenName = "oidc/refresh-token"
	levelName        = "oidc/level"
)

// ErrNoSession is returned by Resume when no session was kept, and by
// both Resume and AccessToken when the provider ended the session.
var ErrNoSession = errors.New("not signed in")

// ErrProviderUnavailable is wrapped by the errors of Resume and
// AccessToken when the provider could not be asked for a fresh token (out
// of reach, or failing): the session is kept and carries on once the
// provider answers again.
var ErrProviderUnavailable = errors.New("the sign-in provider cannot be reached")

// Person is who signed in, from the ID token.
type Person struct {
	Identifier  string
	GivenName   string
	FamilyName  string
	DateOfBirth string
	// Level is the OOTS level of assurance of the sign-in.
	Level string
	// Role is identity.RoleClerk or identity.RoleAdministrator where the
	// provider assigns one, "" for a citizen. The app shows the screens of
	// the role by it; the service decides what the person may do by the
	// access token.
	Role string
}

// Client signs in with one provider.
type Client struct {
	provider identity.Provider
	oidc     *oidc.Provider
	verifier *oidc.IDTokenVerifier
	store    secrets.Store
	// OpenBrowser shows the provider's sign-in page to the person; the
	// desktop opens the system browser.
	OpenBrowser func(url string) error
	log         *slog.Logger
	endpoints   struct {
		Revocation string `json:"revocation_endpoint"`
		EndSession string `json:"end_session_endpoint"`
	}
}

// New reads the provider's discovery document.
func New(ctx context.Context, p identity.Provider, store secrets.Store, openBrowser func(string) error, log *slog.Logger) (*Client, error) {
	p, err := p.Normalized()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	op, err := oidc.NewProvider(ctx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("sign-in: provider %s: %w", p.Issuer, err)
	}
	c := &Client{provider: p, oidc: op, store: store, OpenBrowser: openBrowser, log: log,
		verifier: op.Verifier(&oidc.Config{ClientID: p.ClientID})}
	_ = op.Claims(&c.endpoints)
	return c, nil
}

func (c *Client) config(redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:    c.provider.ClientID,
		Endpoint:    c.oidc.Endpoint(),
		RedirectURL: redirect,
		Scopes:      []string{oidc.ScopeOpenID, "profile", oidc.ScopeOfflineAccess},
	}
}

// Session is a signed-in person with fresh access tokens.
type Session struct {
	client  *Client
	Person  Person
	mu      sync.Mutex
	source  oauth2.TokenSource
	refresh string // the refresh token last kept
	idToken string
}

// pageOpenedKey keys the function WithPageOpened attaches to a context.
type pageOpenedKey struct{}

// WithPageOpened returns ctx with opened attached: SignIn calls it with
// the address of the provider's sign-in page as it asks the browser to
// open it (browserErr nil), so that a person whose browser did not show
// it can open it themselves, and once more with the browser's failure if
// it failed. With opened attached, a browser that fails does not end the
// sign-in: the person may still open the page by hand.
func WithPageOpened(ctx context.Context, opened func(page string, browserErr error)) context.Context {
	return context.WithValue(ctx, pageOpenedKey{}, opened)
}

// SignIn opens the provider's page in the browser and waits until the
// person has signed in there (or ctx ends). level asks for a level of
// assurance ("" for the provider's default): a higher one than the current
// session's is a step-up.
func (c *Client) SignIn(ctx context.Context, level string) (*Session, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sign-in: loopback listener: %w", err)
	}
	defer ln.Close()
	conf := c.config("http://" + ln.Addr().String() + "/callback")
	verifier, state, nonce := oauth2.GenerateVerifier(), randomString(), randomString()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)}
	if acr := identity.ACR(level); acr != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", acr))
	}
	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var res result
		switch {
		case q.Get("state") != state:
			res.err = errors.New("sign-in: the answer does not belong to this sign-in (state)")
		case q.Get("error") != "":
			res.err = fmt.Errorf("sign-in refused by the provider: %s %s", q.Get("error"), q.Get("error_description"))
		default:
			res.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if res.err != nil {
			fmt.Fprintf(w, "<!DOCTYPE html><title>Vienreiz</title><p>%s</p>", html.EscapeString(res.err.Error()))
		} else {
			fmt.Fprint(w, "<!DOCTYPE html><title>Vienreiz</title><p>You are signed in. You can close this page and go back to Vienreiz.</p>")
		}
		select {
		case done <- res:
		default:
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()
	page := conf.AuthCodeURL(state, opts...)
	if opened, ok := ctx.Value(pageOpenedKey{}).(func(string, error)); ok {
		opened(page, nil)
		// The opener may wait seconds for the browser's verdict, which is
		// told only while the sign-in waits: once it has ended (the
		// browser's last page may fail as the listener closes) nobody
		// shows it, and the caller has moved on.
		var (
			told  sync.Mutex
			ended bool
		)
		defer func() { told.Lock(); ended = true; told.Unlock() }()
		go func() {
			if err := c.OpenBrowser(page); err != nil {
				c.log.Warn("sign-in: the browser did not open the sign-in page", "err", err)
				told.Lock()
				defer told.Unlock()
				if !ended {
					opened(page, err)
				}
			}
		}()
	} else if err := c.OpenBrowser(page); err != nil {
		return nil, fmt.Errorf("sign-in: opening the browser: %w", err)
	}
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("sign-in not finished: %w", ctx.Err())
	}
	if res.err != nil {
		return nil, res.err
	}
	tok, err := conf.Exchange(ctx, res.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("sign-in: redeeming the code: %w", err)
	}
	s, err := c.session(ctx, conf, tok, nonce)
	if err != nil {
		return nil, err
	}
	if level != "" && !identity.AtLeast(s.Person.Level, level) {
		return nil, fmt.Errorf("sign-in: level %s was asked for, the provider gave %q", level, s.Person.Level)
	}
	return s, nil
}

// Resume continues the session whose refresh token was kept, or returns
// ErrNoSession.
func (c *Client) Resume(ctx context.Context) (*Session, error) {
	rt, err := c.store.Get(refreshTokenName)
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	conf := c.config("")
	tok, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil && !refused(err) {
		return nil, fmt.Errorf("%w: resuming the kept session: %w", ErrProviderUnavailable, err)
	}
	if err != nil {
		// Revoked or expired at the provider: the person signs in again.
		_ = c.store.Delete(refreshTokenName)
		_ = c.store.Delete(levelName)
		return nil, fmt.Errorf("%w: the kept session has ended (%v)", ErrNoSession, err)
	}
	return c.session(ctx, conf, tok, "")
}

// refused reports whether err, from a token refresh, is the provider's
// answer that the refresh token is no good (revoked, expired, not its
// own: an OAuth error, RFC 6749 section 5.2, 400 or 401). Anything else (a
// provider out of reach, a time-out, a server error) says nothing of the
// session.
func refused(err error) bool {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	return re.Response.StatusCode == http.StatusBadRequest || re.Response.StatusCode == http.StatusUnauthorized
}

// session checks tok's ID token, keeps its refresh token and wraps it.
func (c *Client) session(ctx context.Context, conf *oauth2.Config, tok *oauth2.Token, nonce string) (*Session, error) {
	raw, _ := tok.Extra("id_token").(string)
	id, err := c.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("sign-in: the ID token is not valid: %w", err)
	}
	if nonce != "" && id.Nonce != nonce {
		return nil, errors.New("sign-in: the ID token belongs to another sign-in (nonce)")
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		return nil, fmt.Errorf("sign-in: %w", err)
	}
	text := func(name string) string { s, _ := claims[name].(string); return s }
	names := c.provider.Claims
	p := Person{Identifier: text(names.Identifier), GivenName: text(names.GivenName), FamilyName: text(names.FamilyName), DateOfBirth: text(names.DateOfBirth),
		Role: text(names.Role)}
	p.Level, _ = identity.LevelFromACR(text(names.ACR))
	if p.Identifier == "" {
		return nil, fmt.Errorf("sign-in: the provider gave no person identifier (claim %q)", names.Identifier)
	}
	if err := c.rememberLevel(&p, nonce == ""); err != nil {
		return nil, err
	}
	s := &Session{client: c, Person: p, idToken: raw}
	s.source = oauth2.ReuseTokenSource(tok, conf.TokenSource(context.WithoutCancel(ctx), tok))
	if err := s.keep(tok); err != nil {
		return nil, err
	}
	return s, nil
}

// rememberLevel keeps the level of a sign-in for its refreshes: an ID
// token got by a refresh need not repeat acr (OIDC Core 12.2 lists the
// claims it must repeat; acr is not one), so a refreshed one without it
// keeps the level the sign-in had.
func (c *Client) rememberLevel(p *Person, refreshed bool) error {
	if p.Level == "" && refreshed {
		p.Level, _ = c.store.Get(levelName)
		return nil
	}
	if err := c.store.Set(levelName, p.Level); err != nil {
		return fmt.Errorf("sign-in: keeping the session: %w", err)
	}
	return nil
}

// keep stores the refresh token when it changed (providers rotate them).
func (s *Session) keep(tok *oauth2.Token) error {
	if tok.RefreshToken == "" || tok.RefreshToken == s.refresh {
		return nil
	}
	if err := s.client.store.Set(refreshTokenName, tok.RefreshToken); err != nil {
		return fmt.Errorf("sign-in: keeping the session: %w", err)
	}
	s.refresh = tok.RefreshToken
	return nil
}

// AccessToken returns a valid access token, refreshing it when it expired.
func (s *Session) AccessToken() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, err := s.source.Token()
	if err != nil && !refused(err) {
		return "", fmt.Errorf("%w: %w", ErrProviderUnavailable, err)
	}
	if err != nil {
		return "", fmt.Errorf("%w: the session has ended, sign in again (%v)", ErrNoSession, err)
	}
	if err := s.keep(tok); err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// SignOut ends the session on this device: the refresh token is revoked
// at the provider and forgotten. With everywhere, every session of the
// person at the provider ends too (the provider's end-session endpoint).
func (s *Session) SignOut(ctx context.Context, everywhere bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.client
	var errs []error
	if everywhere {
		if c.endpoints.EndSession == "" {
			errs = append(errs, errors.New("the provider offers no end-session endpoint"))
		} else {
			u := c.endpoints.EndSession + "?" + url.Values{"id_token_hint": {s.idToken}, "client_id": {c.provider.ClientID}}.Encode()
			errs = append(errs, call(ctx, http.MethodGet, u, nil))
		}
	}
	if s.refresh != "" && c.endpoints.Revocation != "" {
		form := url.Values{"token": {s.refresh}, "token_type_hint": {"refresh_token"}, "client_id": {c.provider.ClientID}}
		errs = append(errs, call(ctx, http.MethodPost, c.endpoints.Revocation, form))
	}
	errs = append(errs, c.store.Delete(refreshTokenName), c.store.Delete(levelName))
	s.source = ended{}
	return errors.Join(errs...)
}

// ended is the token source of a signed-out session.
type ended struct{}

func (ended) Token() (*oauth2.Token, error) { return nil, errors.New("signed out") }

func call(ctx context.Context, method, u string, form url.Values) error {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	noFollow := &http.Client{Timeout: 15 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(req)
	if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		return fmt.Errorf("sign out: %s %s: %s", method, u, resp.Status)
	}
	return nil
}

func randomString() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
