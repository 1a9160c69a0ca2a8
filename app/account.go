package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// SignInFlow is the sign-in with an identity provider; *signin.Client is
// the real one.
type SignInFlow interface {
	// SignIn signs a person in at level ("" for the provider's default).
	SignIn(ctx context.Context, level string) (*signin.Session, error)
	// Resume continues the session kept from an earlier run, or returns
	// an error wrapping signin.ErrNoSession.
	Resume(ctx context.Context) (*signin.Session, error)
}

// Account is who uses the app: nobody (the catalogue is open to
// everyone), or a person signed in with the identity provider. Its Token
// is the token function of the app's client: refreshed tokens while the
// session lasts, none once it has ended.
type Account struct {
	flow SignInFlow
	log  *slog.Logger

	// changed hear of every sign-in and sign-out (OnChange).
	changed hooks[func()]

	mu      sync.Mutex
	session personSession
	expired bool // the last session ended on its own (not signed out)
	// signedIn run once after each successful sign-in (the link follower
	// opens a link kept for it).
	signedIn []func()
	// devices and deviceStore sign this device in by pairing (UsePairing).
	devices     *client.Client
	deviceStore secrets.Store
	// resumeWait is Resume's first wait for a provider out of reach.
	resumeWait time.Duration
}

// The waits of Resume for a sign-in provider out of reach: the first,
// doubled at each try up to the last.
const (
	resumeFirstWait = 15 * time.Second
	resumeLastWait  = 5 * time.Minute
)

// NewAccount returns a signed-out account that signs in through flow.
func NewAccount(flow SignInFlow, log *slog.Logger) *Account {
	if log == nil {
		log = slog.Default()
	}
	return &Account{flow: flow, log: log, resumeWait: resumeFirstWait}
}

// OnChange registers f to run (on the caller's goroutine) whenever
// someone signs in or out, or the session ends, until remove is called.
func (a *Account) OnChange(f func()) (remove func()) { return a.changed.add(f) }

// OnSignIn registers f to run after every sign-in.
func (a *Account) OnSignIn(f func()) {
	a.mu.Lock()
	a.signedIn = append(a.signedIn, f)
	a.mu.Unlock()
}

func (a *Account) notify(signedIn bool) {
	fs := a.changed.all()
	a.mu.Lock()
	if signedIn {
		fs = append(fs, a.signedIn...)
	}
	a.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// Person returns who is signed in; ok is false when nobody is.
func (a *Account) Person() (p signin.Person, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		return signin.Person{}, false
	}
	return a.session.person(), true
}

// MeAPI tells who the caller is to the service (GET /v1/me).
type MeAPI interface {
	Me(ctx context.Context) (*api.Me, error)
}

// ShowsDesk reports whether the clerk's desk is for this session: Clerk
// is set, or the person signed in is a clerk: by the role the service
// gives them (an administrator may have assigned it), or, until the
// service has said, by their ID token's.
func (s *Session) ShowsDesk() bool {
	if s.Clerk {
		return true
	}
	if s.Account == nil {
		return false
	}
	p, ok := s.Account.Person()
	if !ok {
		return false
	}
	if role, _ := s.Role.Get(); role != "" {
		return role == identity.RoleClerk
	}
	return p.Role == identity.RoleClerk
}

// refreshRole asks the service which role it gives the person signed in
// (Role), and a clerk's institution (Institution); when it cannot say,
// the ID token's role stands.
func (s *Session) refreshRole(ctx context.Context) {
	role, institution := "", ""
	if p, ok := s.Account.Person(); ok {
		role = p.Role
		if role == "" {
			role = identity.RoleCitizen
		}
		if s.me != nil {
			// An older service, or none reached: the sign-in's stands.
			if me, err := s.me.Me(ctx); err == nil {
				role, institution = me.Role, me.Institution
			}
		}
	}
	fyne.DoAndWait(func() {
		_ = s.Institution.Set(institution)
		_ = s.Role.Set(role)
	})
}

// SignedIn reports whether a person is signed in.
func (a *Account) SignedIn() bool {
	_, ok := a.Person()
	return ok
}

// Expired reports whether the last session ended by itself (revoked or
// timed out at the provider), so the app says so rather than just
// showing the sign-in page.
func (a *Account) Expired() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.expired
}

// Has reports whether the person signed in at level or above.
func (a *Account) Has(level string) bool {
	p, ok := a.Person()
	return ok && identity.AtLeast(p.Level, level)
}

// Resume continues the session of an earlier run, if one was kept; it
// reports whether someone is signed in now. A sign-in provider out of
// reach is asked again, less and less often, until it answers or ctx
// ends: only its answer ends a kept session.
func (a *Account) Resume(ctx context.Context) bool {
	for wait := a.resumeWait; ; wait = min(2*wait, resumeLastWait) {
		s, err := a.flow.Resume(ctx)
		switch {
		case err == nil:
			a.start(providerSession{s})
			return true
		case errors.Is(err, signin.ErrProviderUnavailable):
			// Started offline: the kept session waits for the provider's
			// answer, it is not ended.
			a.log.Warn("the kept session waits for the sign-in provider", "err", err, "retry_in", wait)
			select {
			case <-ctx.Done():
				return false
			case <-time.After(wait):
			}
			if a.SignedIn() { // signed in meanwhile
				return true
			}
			continue
		case !errors.Is(err, signin.ErrNoSession):
			a.log.Warn("the kept session could not be resumed", "err", err)
		}
		return a.resumeDevice()
	}
}

// SignIn signs a person in at level ("" for the provider's default); a
// level above the current session's is a step-up. The screen the person
// was on stays as it was: callers carry on with what they were doing.
func (a *Account) SignIn(ctx context.Context, level string) error {
	s, err := a.flow.SignIn(ctx, level)
	if err != nil {
		return err
	}
	a.mu.Lock()
	old := a.session
	a.mu.Unlock()
	_, paired := old.(*DeviceSession)
	if old != nil && (paired || old.person().Identifier != s.Person.Identifier) {
		// Someone else signed in at the provider, or this device, signed
		// in by pairing, now has a session of its own: the old one is
		// over (a pairing's grant is revoked at the service and its
		// refresh token forgotten, not left valid and unused).
		_ = old.SignOut(ctx, false)
	}
	a.start(providerSession{s})
	return nil
}

func (a *Account) start(s personSession) {
	a.mu.Lock()
	a.session, a.expired = s, false
	a.mu.Unlock()
	a.log.Info("signed in", "person", s.person().Identifier, "level", s.person().Level)
	a.notify(true)
}

// SignOut ends the session on this device (its refresh token is revoked);
// with everywhere, every session of the person at the provider ends too,
// and every device signed in by pairing. The person counts as signed out
// even when the provider cannot be told.
func (a *Account) SignOut(ctx context.Context, everywhere bool) error {
	a.mu.Lock()
	s := a.session
	a.session, a.expired = nil, false
	a.mu.Unlock()
	if s == nil {
		return nil
	}
	var devices error
	if _, provider := s.(providerSession); provider && everywhere {
		devices = a.revokeDevices(ctx, s)
	}
	err := errors.Join(devices, s.SignOut(ctx, everywhere))
	if err != nil {
		a.log.Warn("sign out: the provider was not told", "err", err)
	}
	a.log.Info("signed out", "everywhere", everywhere)
	a.notify(false)
	return err
}

// Token is the bearer token of the app's calls: a fresh access token of
// the session, or "" (an anonymous call) when nobody is signed in. When
// the session has ended at the provider, the account is signed out and
// marked expired, so the app asks the person to sign in again; when the
// provider cannot be reached, the error wraps client.ErrUnavailable and
// the session stays.
func (a *Account) Token() (string, error) {
	a.mu.Lock()
	s := a.session
	a.mu.Unlock()
	if s == nil {
		return "", nil
	}
	tok, err := s.AccessToken()
	if err == nil {
		return tok, nil
	}
	if errors.Is(err, signin.ErrProviderUnavailable) {
		// Out of reach, as the service can be: the session is kept, the
		// app offers to try again.
		return "", fmt.Errorf("%w: %w", client.ErrUnavailable, err)
	}
	if !errors.Is(err, signin.ErrNoSession) {
		return "", err
	}
	a.log.Info("the session has ended", "err", err)
	a.mu.Lock()
	ended := a.session == s
	if ended {
		a.session, a.expired = nil, true
	}
	a.mu.Unlock()
	if ended {
		a.notify(false)
	}
	return "", nil
}

// SignInNeeded tells whether err means the call needs a (new or higher)
// sign-in: nobody is signed in or the session has ended (401), or the
// evidence needs a higher level of assurance. level is the level to sign
// in at, "" for the provider's default.
func SignInNeeded(err error) (level string, needed bool) {
	var apiErr *client.APIError
	switch {
	case errors.Is(err, client.ErrSignedOut):
		return "", true
	case !errors.As(err, &apiErr):
		return "", false
	case apiErr.Status == http.StatusUnauthorized:
		return "", true
	case apiErr.Code == api.CodeLevelTooLow:
		return apiErr.LevelOfAssurance, true
	}
	return "", false
}

// UseAccount makes a the session's account: links wait for its sign-in,
// and the person's lists are loaded after each sign-in and emptied after
// each sign-out, so nobody sees the previous person's requests.
func (s *Session) UseAccount(a *Account) {
	s.Account = a
	s.Handoff.account = a
	s.Links.SignedIn = a.SignedIn
	s.Requests.signedIn = a.SignedIn
	a.OnChange(func() {
		s.Inbox.Reconnect()
		s.Wallet.Opened.Clear() // at every sign-in and sign-out; a viewer keeps what it read
		if !a.SignedIn() {
			s.Acting.Clear()
			if s.Mandates != nil {
				s.Mandates.Clear()
			}
			if s.Admin != nil {
				s.Admin.Clear()
			}
			fyne.DoAndWait(func() {
				s.Requests.Forget()
				s.Wallet.set(nil)
				s.Inbox.Forget()
				_ = s.Institution.Set("")
				_ = s.Role.Set("")
			})
			return
		}
		s.Background(func() {
			ctx, cancel := s.call()
			defer cancel()
			s.refreshRole(ctx)
			_ = s.Acting.Refresh(ctx)
			if s.Mandates != nil {
				_ = s.Mandates.Refresh(ctx)
			}
			if s.Admin != nil {
				_ = s.Admin.Refresh(ctx)
			}
			_ = s.Requests.Refresh(ctx)
		})
	})
	a.OnSignIn(s.Links.Resume)
}
