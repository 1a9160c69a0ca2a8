package devidp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/vienreiz/vienreiz/identity"
)

// storage is the provider's state for zitadel's op: accounts, sign-ins in
// progress, tokens and signing keys, in memory. With a state file, the
// signing keys and refresh tokens are also kept there (state.go), so the
// app's sessions survive a restart of the app.
type storage struct {
	client   *client
	tokenTTL time.Duration
	now      func() time.Time
	file     string // "" keeps nothing
	// names are the claim names the tokens carry the attributes under.
	names identity.Claims
	// saveFailed hears of a state file that could not be written.
	saveFailed func(error)

	mu            sync.Mutex
	people        map[string]Person // by username
	keys          []*signingKey     // the last one signs
	authRequests  map[string]*authRequest
	codes         map[string]string // code → auth request id
	accessTokens  map[string]accessToken
	refreshTokens map[string]*refreshToken
}

type accessToken struct {
	subject, clientID string
	expires           time.Time
}

func newStorage(people []Person, c *client, tokenTTL time.Duration, file string, names identity.Claims) (*storage, error) {
	s := &storage{
		names:         names,
		client:        c,
		tokenTTL:      tokenTTL,
		file:          file,
		now:           time.Now,
		people:        map[string]Person{},
		authRequests:  map[string]*authRequest{},
		codes:         map[string]string{},
		accessTokens:  map[string]accessToken{},
		refreshTokens: map[string]*refreshToken{},
	}
	for _, p := range people {
		s.people[p.Username] = p
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	if len(s.keys) > 0 {
		return s, nil
	}
	if err := s.rotateKey(); err != nil {
		return nil, err
	}
	return s, nil
}

// subject is the `sub` of an account: opaque to relying parties, which
// read the person's identifier from its own claim.
func subject(p Person) string { return "dev-" + p.Username }

func (s *storage) personBySubject(sub string) (Person, bool) {
	for _, p := range s.people {
		if subject(p) == sub {
			return p, true
		}
	}
	return Person{}, false
}

// claims are the person's attributes as they go into tokens.
func (s *storage) claims(sub, acr string) map[string]any {
	s.mu.Lock()
	p, ok := s.personBySubject(sub)
	s.mu.Unlock()
	if !ok {
		return nil
	}
	names := s.names
	c := map[string]any{
		names.Identifier:  p.Identifier,
		names.GivenName:   p.GivenName,
		names.FamilyName:  p.FamilyName,
		names.DateOfBirth: p.DateOfBirth,
	}
	if acr != "" {
		c[names.ACR] = acr
	}
	if p.Role != "" {
		c[names.Role] = p.Role
	}
	if p.Institution != "" {
		c[names.Institution] = p.Institution
	}
	return c
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// signingKey is an ECDSA P-256 key pair (ES256: made in microseconds, so
// the provider adds nothing noticeable to a start); it serves as
// op.SigningKey and op.Key.
type signingKey struct {
	id  string
	key *ecdsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k *signingKey) Algorithm() jose.SignatureAlgorithm          { return jose.ES256 }
func (k *signingKey) ID() string                                  { return k.id }
func (k *signingKey) Use() string                                 { return "sig" }

// Key is the private key when signing; KeySet wraps it as publicKey.
func (k *signingKey) Key() any { return k.key }

type publicKey struct{ *signingKey }

func (k publicKey) Key() any { return &k.key.PublicKey }

// rotateKey adds a new signing key; the earlier ones stay published until
// retireKeys, so tokens they signed stay valid.
func (s *storage) rotateKey() error {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("devidp: signing key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, &signingKey{id: randomID()[:12], key: k})
	return s.saveLocked()
}

// retireKeys stops publishing every key but the current one.
func (s *storage) retireKeys() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = s.keys[len(s.keys)-1:]
	s.keepLocked()
}

// keepLocked saves the state after a change that has happened whatever
// the file says: a failed write is logged by the caller's op and the
// change stands in memory. s.mu is held.
func (s *storage) keepLocked() {
	if err := s.saveLocked(); err != nil && s.saveFailed != nil {
		s.saveFailed(err)
	}
}

// --- sign-ins in progress (op.AuthStorage) ---

func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if r.CodeChallenge == "" || r.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method S256 is required")
	}
	a := &authRequest{
		id:           randomID(),
		created:      s.now(),
		clientID:     r.ClientID,
		redirectURI:  r.RedirectURI,
		scopes:       r.Scopes,
		state:        r.State,
		nonce:        r.Nonce,
		responseType: r.ResponseType,
		responseMode: r.ResponseMode,
		requestedACR: r.ACRValues,
	}
	a.codeChallenge = &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authRequests[a.id] = a
	return a, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authRequests[id]
	if !ok || s.now().Sub(a.created) > authRequestTTL {
		return nil, errors.New("sign-in request not found or expired")
	}
	return a, nil
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("unknown code")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authRequests[id]; !ok {
		return errors.New("sign-in request not found")
	}
	s.codes[code] = id
	return nil
}

func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authRequests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// completeSignIn records who signed in for auth request id, and at which
// level; the level may not exceed what the account's eID means allow.
func (s *storage) completeSignIn(id, username, level string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authRequests[id]
	if !ok {
		return errors.New("this sign-in has expired; start again from the app")
	}
	p, ok := s.people[username]
	if !ok {
		return fmt.Errorf("no demo account %q", username)
	}
	if identity.ACR(level) == "" {
		return fmt.Errorf("unknown level of assurance %q", level)
	}
	if !identity.AtLeast(p.maxLevel(), level) {
		return fmt.Errorf("%s %s can sign in at level %s at most", p.GivenName, p.FamilyName, p.maxLevel())
	}
	a.subject = subject(p)
	a.acr = identity.ACR(level)
	a.authTime = s.now()
	a.done = true
	return nil
}

// --- tokens ---

func (s *storage) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	clientID := ""
	if a, ok := r.(*authRequest); ok {
		clientID = a.clientID
	}
	return s.newAccessToken(r.GetSubject(), clientID)
}

func (s *storage) newAccessToken(sub, clientID string) (string, time.Time, error) {
	id := randomID()
	exp := s.now().Add(s.tokenTTL)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTokens[id] = accessToken{subject: sub, clientID: clientID, expires: exp}
	return id, exp, nil
}

func (s *storage) CreateAccessAndRefreshTokens(_ context.Context, r op.TokenRequest, current string) (string, string, time.Time, error) {
	var next refreshToken
	switch req := r.(type) {
	case *authRequest:
		next = refreshToken{subject: req.subject, clientID: req.clientID, scopes: req.scopes, acr: req.acr, authTime: req.authTime}
	case *refreshToken:
		next = *req
	default:
		return "", "", time.Time{}, fmt.Errorf("unsupported token request %T", r)
	}
	if current != "" {
		s.mu.Lock()
		_, ok := s.refreshTokens[current]
		delete(s.refreshTokens, current) // refresh tokens are used once
		s.keepLocked()
		s.mu.Unlock()
		if !ok {
			return "", "", time.Time{}, op.ErrInvalidRefreshToken
		}
	}
	id, exp, err := s.newAccessToken(next.subject, next.clientID)
	if err != nil {
		return "", "", time.Time{}, err
	}
	next.token = randomID() + randomID()
	next.id = randomID()
	s.mu.Lock()
	s.refreshTokens[next.token] = &next
	err = s.saveLocked()
	s.mu.Unlock()
	if err != nil {
		return "", "", time.Time{}, err // a token not kept would not survive a restart
	}
	return id, next.token, exp, nil
}

func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refreshTokens[token]
	if !ok {
		return nil, op.ErrInvalidRefreshToken
	}
	c := *rt
	return &c, nil
}

// TerminateSession ends every session of the person with the client: all
// their refresh tokens stop working ("sign out everywhere").
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, rt := range s.refreshTokens {
		if rt.subject == userID && rt.clientID == clientID {
			delete(s.refreshTokens, tok)
		}
	}
	for id, at := range s.accessTokens {
		if at.subject == userID && at.clientID == clientID {
			delete(s.accessTokens, id)
		}
	}
	return s.saveLocked()
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, _ string, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The revocation endpoint names a refresh token by its id (from
	// GetRefreshTokenInfo), not by the token itself: it revoked nothing.
	for token, rt := range s.refreshTokens {
		if token != tokenOrID && rt.id != tokenOrID {
			continue
		}
		if rt.clientID != clientID {
			return oidc.ErrInvalidClient().WithDescription("token was not issued to this client")
		}
		delete(s.refreshTokens, token)
		if err := s.saveLocked(); err != nil {
			return oidc.ErrServerError().WithParent(err)
		}
		return nil
	}
	delete(s.accessTokens, tokenOrID)
	return nil
}

func (s *storage) GetRefreshTokenInfo(_ context.Context, _ string, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refreshTokens[token]
	if !ok {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.subject, rt.id, nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[len(s.keys)-1], nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]op.Key, len(s.keys))
	for i, k := range s.keys {
		out[i] = publicKey{k}
	}
	return out, nil
}

// --- clients and claims (op.OPStorage) ---

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != s.client.id {
		return nil, fmt.Errorf("unknown client %q", id)
	}
	return s.client, nil
}

func (s *storage) AuthorizeClientIDSecret(context.Context, string, string) error {
	return errors.New("the app is a public client: it signs in with PKCE, not a secret")
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's person claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, r op.IDTokenRequest, _ []string) error {
	acr := ""
	if a, ok := r.(*authRequest); ok {
		acr = a.acr
	}
	return s.fillUserinfo(info, r.GetSubject(), acr)
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, sub, _ string) error {
	s.mu.Lock()
	at, ok := s.accessTokens[tokenID]
	s.mu.Unlock()
	if !ok || at.subject != sub || s.now().After(at.expires) {
		return errors.New("access token not valid")
	}
	return s.fillUserinfo(info, sub, "")
}

func (s *storage) fillUserinfo(info *oidc.UserInfo, sub, acr string) error {
	c := s.claims(sub, acr)
	if c == nil {
		return fmt.Errorf("no account %q", sub)
	}
	info.Subject = sub
	for k, v := range c {
		text, _ := v.(string)
		switch k { // the standard claims have their own fields
		case "given_name":
			info.GivenName = text
		case "family_name":
			info.FamilyName = text
		case "birthdate":
			info.Birthdate = text
		case "acr":
		default:
			info.AppendClaims(k, v)
		}
	}
	info.Name = strings.TrimSpace(info.GivenName + " " + info.FamilyName)
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("the development provider offers no token introspection: access tokens are JWTs")
}

// GetPrivateClaimsFromScopes gives access tokens the person's attributes.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, sub, _ string, _ []string) (map[string]any, error) {
	return s.claims(sub, ""), nil
}

// GetPrivateClaimsFromRequest gives access tokens the person's attributes
// and the level of assurance of the sign-in.
func (s *storage) GetPrivateClaimsFromRequest(_ context.Context, r op.TokenRequest, _ []string) (map[string]any, error) {
	acr := ""
	switch req := r.(type) {
	case *authRequest:
		acr = req.acr
	case *refreshToken:
		acr = req.acr
	}
	return s.claims(r.GetSubject(), acr), nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("JWT profile grants are not offered")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile grants are not offered")
}

func (s *storage) Health(context.Context) error { return nil }

// authRequestTTL bounds how long a sign-in may take.
const authRequestTTL = 10 * time.Minute

// authRequest is one sign-in in progress (op.AuthRequest).
type authRequest struct {
	id            string
	created       time.Time
	clientID      string
	redirectURI   string
	scopes        []string
	state, nonce  string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge
	requestedACR  []string

	subject  string
	acr      string
	authTime time.Time
	done     bool
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return a.acr }
func (a *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// requestedLevel is the level the app asked for with acr_values (the
// highest named), Substantial when it asked for none.
func (a *authRequest) requestedLevel() string {
	level := ""
	for _, acr := range a.requestedACR {
		if l, ok := identity.LevelFromACR(acr); ok && !identity.AtLeast(level, l) {
			level = l
		}
	}
	if level == "" {
		return identity.LevelSubstantial
	}
	return level
}

// refreshToken is a stored refresh token; it also serves as
// op.RefreshTokenRequest when it is used.
type refreshToken struct {
	token, id         string
	subject, clientID string
	scopes            []string
	acr               string
	authTime          time.Time
}

func (r *refreshToken) GetAMR() []string                 { return []string{"pwd"} }
func (r *refreshToken) GetAudience() []string            { return []string{r.clientID} }
func (r *refreshToken) GetAuthTime() time.Time           { return r.authTime }
func (r *refreshToken) GetClientID() string              { return r.clientID }
func (r *refreshToken) GetScopes() []string              { return r.scopes }
func (r *refreshToken) GetSubject() string               { return r.subject }
func (r *refreshToken) SetCurrentScopes(scopes []string) { r.scopes = slices.Clone(scopes) }
