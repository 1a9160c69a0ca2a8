package exchange

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/vienreiz/vienreiz/identity"
)

// OIDCTokens authenticates API calls by the access tokens (JWTs) of an
// OpenID Connect provider. Each call's token is checked for its signature
// against the provider's published keys (fetched again when a token names
// a key not seen before, so key rotation needs no restart), its issuer, its
// audience and its expiry; the person's eIDAS attributes, level of
// assurance and role come from the claims the provider settings name.
type OIDCTokens struct {
	verifier *oidc.IDTokenVerifier
	claims   identity.Claims
	log      *slog.Logger
}

// OIDCOptions are the optional settings of NewOIDCTokens.
type OIDCOptions struct {
	// HTTPClient fetches the discovery document and keys;
	// http.DefaultClient when nil.
	HTTPClient *http.Client
	// Now is the clock expiry is checked against; time.Now when nil.
	Now func() time.Time
	// Log receives why tokens were refused (at debug level).
	Log *slog.Logger
}

// NewOIDCTokens reads the provider's discovery document and returns an
// authenticator for its access tokens.
func NewOIDCTokens(ctx context.Context, p identity.Provider, opts OIDCOptions) (*OIDCTokens, error) {
	p, err := p.Normalized()
	if err != nil {
		return nil, err
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	// The provider keeps this context for fetching keys later: it must
	// outlive the start-up call.
	keyCtx := oidc.ClientContext(context.WithoutCancel(ctx), hc)
	discoverCtx, cancel := context.WithTimeout(keyCtx, 15*time.Second)
	defer cancel()
	provider, err := oidc.NewProvider(discoverCtx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("identity provider %s: %w", p.Issuer, err)
	}
	var endpoints struct {
		JWKS string   `json:"jwks_uri"`
		Algs []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := provider.Claims(&endpoints); err != nil || endpoints.JWKS == "" {
		return nil, fmt.Errorf("identity provider %s: discovery names no jwks_uri", p.Issuer)
	}
	keys := oidc.NewRemoteKeySet(keyCtx, endpoints.JWKS)
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	return &OIDCTokens{
		verifier: oidc.NewVerifier(p.Issuer, keys, &oidc.Config{ClientID: p.Audience, Now: opts.Now, SupportedSigningAlgs: signingAlgs(endpoints.Algs)}),
		claims:   p.Claims,
		log:      log,
	}, nil
}

// Authenticate returns the person whose valid access token the
// Authorization header carries, or ErrUnauthenticated with the reason.
func (o *OIDCTokens) Authenticate(r *http.Request) (Principal, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return Principal{}, ErrUnauthenticated
	}
	tok, err := o.verifier.Verify(r.Context(), raw)
	if err != nil {
		o.log.Debug("access token refused", "err", err)
		return Principal{}, fmt.Errorf("%w: the access token is not valid", ErrUnauthenticated)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return Principal{}, fmt.Errorf("%w: the access token's claims cannot be read", ErrUnauthenticated)
	}
	return o.principal(claims)
}

// principal reads the person from verified claims.
func (o *OIDCTokens) principal(claims map[string]any) (Principal, error) {
	text := func(name string) string {
		s, _ := claims[name].(string)
		return strings.TrimSpace(s)
	}
	p := Principal{
		Subject:     text(o.claims.Identifier),
		GivenName:   text(o.claims.GivenName),
		FamilyName:  text(o.claims.FamilyName),
		DateOfBirth: text(o.claims.DateOfBirth),
		Institution: text(o.claims.Institution),
	}
	if p.Subject == "" {
		return Principal{}, fmt.Errorf("%w: the access token carries no person identifier (claim %q)", ErrUnauthenticated, o.claims.Identifier)
	}
	// A token without a known eIDAS level counts as the lowest.
	var ok bool
	if p.LevelOfAssurance, ok = identity.LevelFromACR(text(o.claims.ACR)); !ok {
		p.LevelOfAssurance = identity.LevelLow
	}
	switch text(o.claims.Role) {
	case identity.RoleClerk:
		if p.Institution == "" {
			return Principal{}, fmt.Errorf("%w: a clerk's token must name their institution (claim %q)", ErrUnauthenticated, o.claims.Institution)
		}
		p.Role = RoleClerk
	case identity.RoleAdministrator:
		p.Role = RoleAdministrator
	}
	return p, nil
}

// signingAlgs are the asymmetric algorithms the provider says it signs
// with; RS256 when it names none. "none" and HMAC are never accepted.
func signingAlgs(named []string) []string {
	var out []string
	for _, a := range named {
		switch a {
		case oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA:
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return []string{oidc.RS256}
	}
	return out
}
