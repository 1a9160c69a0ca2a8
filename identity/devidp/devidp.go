// Package devidp is the development identity provider of the embedded
// default: an OpenID Connect provider built on github.com/zitadel/oidc/v3
// (op) with demo accounts that carry eIDAS attributes, a sign-in page, JWT
// access tokens, refresh tokens and key rotation. It is for development
// only: every page and its start-up log say so, and it refuses to start in
// production (a service running with a network file).
package devidp

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/vienreiz/vienreiz/identity"
)

// ErrProduction is returned by Start in production mode.
var ErrProduction = errors.New("the development identity provider is refused in production (the service runs with -network): configure the real provider (issuer, client id, claims) in the network file")

// Options configure the development provider.
type Options struct {
	// Listen is the TCP address; 127.0.0.1:0 (a free loopback port) when
	// empty.
	Listen string
	// People are the accounts; DemoPeople() when nil.
	People []Person
	// AccessTokenTTL is how long access tokens live; 5 minutes when zero.
	AccessTokenTTL time.Duration
	// Production is true when the service runs against a real network;
	// Start then refuses with ErrProduction.
	Production bool
	// Log receives the provider's log; slog.Default() when nil.
	Log *slog.Logger
	// Claims names the claims the tokens carry the attributes under;
	// identity.DefaultClaims() where empty. A test stands the provider
	// in for a national eID gateway with claim names of its own.
	Claims identity.Claims
	// StateFile, when set, keeps the signing keys and refresh tokens
	// across restarts (a private file in the app's data folder), so a
	// signed-in person stays signed in; without it nothing is kept.
	StateFile string
}

// Server is a running development provider.
type Server struct {
	issuer  string
	storage *storage
	http    *http.Server
	done    chan error
}

// Start listens and serves the provider in the background.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Production {
		return nil, ErrProduction
	}
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "devidp")
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("devidp: cannot listen on %s: %w", addr, err)
	}
	s, err := newServer(ln, opts, log)
	if err != nil {
		ln.Close()
		return nil, err
	}
	go func() {
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	log.Warn("DEVELOPMENT ONLY identity provider running with demo accounts; it is refused in production (-network)",
		"issuer", s.issuer, "client_id", ClientID)
	return s, nil
}

// idTokenTTL is how long ID tokens live.
const idTokenTTL = 5 * time.Minute

func newServer(ln net.Listener, opts Options, log *slog.Logger) (*Server, error) {
	issuer := "http://" + ln.Addr().String()
	people := opts.People
	if people == nil {
		people = DemoPeople()
	}
	ttl := opts.AccessTokenTTL
	if ttl == 0 {
		ttl = 5 * time.Minute
	}
	// The ID token is checked once, at the sign-in; it does not follow a
	// short AccessTokenTTL, which left it as little as a fraction of a
	// second (its expiry is in whole seconds).
	c := &client{id: ClientID, loginURL: issuer + loginPath, idTokenTTL: idTokenTTL}
	names, err := identity.Provider{Issuer: issuer, ClientID: ClientID, Claims: opts.Claims}.Normalized()
	if err != nil {
		return nil, err
	}
	st, err := newStorage(people, c, ttl, opts.StateFile, names.Claims)
	if err != nil {
		return nil, err
	}
	st.saveFailed = func(err error) { log.Error("the sessions could not be kept for the next start", "err", err) }
	cfg := &op.Config{
		CodeMethodS256:        true,
		GrantTypeRefreshToken: true,
		SupportedUILocales:    []language.Tag{language.English},
	}
	if _, err := rand.Read(cfg.CryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	provider, err := op.NewOpenIDProvider(issuer, cfg, st, op.WithAllowInsecure(), op.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	mux := http.NewServeMux()
	login := &loginPage{storage: st, people: people, callback: op.AuthCallbackURL(provider), log: log}
	intercept := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	mux.HandleFunc("GET "+loginPath, login.show)
	mux.Handle("POST "+loginPath, intercept.HandlerFunc(login.submit))
	mux.HandleFunc("GET "+signedOutPath, login.signedOut)
	mux.Handle("/", provider)
	return &Server{
		issuer:  issuer,
		storage: st,
		done:    make(chan error, 1),
		http: &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}, nil
}

// Issuer is the provider's issuer URL.
func (s *Server) Issuer() string { return s.issuer }

// Provider is the relying-party configuration of this provider, for the
// service and the app.
func (s *Server) Provider() identity.Provider {
	return identity.Provider{Issuer: s.issuer, ClientID: ClientID, Claims: s.storage.names}
}

// RotateKey makes a new key sign from now on; tokens signed by earlier keys
// stay valid until RetireKeys.
func (s *Server) RotateKey() error { return s.storage.rotateKey() }

// RetireKeys withdraws every key but the current one from the published key
// set: tokens they signed are no longer accepted.
func (s *Server) RetireKeys() { s.storage.retireKeys() }

// Close stops the provider.
func (s *Server) Close(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if serveErr := <-s.done; err == nil {
		err = serveErr
	}
	return err
}

// Sign signs arbitrary claims with the provider's current key. Tests use
// it for tokens a correct provider never issues: a wrong issuer or
// audience with a valid signature.
func (s *Server) Sign(claims map[string]any) (string, error) {
	k, _ := s.storage.SigningKey(context.Background())
	signer, err := op.SignerFromKey(k)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
