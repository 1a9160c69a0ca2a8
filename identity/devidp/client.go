package devidp

import (
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ClientID is the app's client id at the development provider.
const ClientID = "vienreiz-app"

// RedirectURIs are where the provider may send the app back: the desktop's
// loopback listener (any port, RFC 8252) and the phone's URL scheme; and
// the demo portal of an exchange service on this machine (any port).
var RedirectURIs = []string{"http://127.0.0.1/callback", "http://localhost/callback", "vienreiz://signin",
	"http://127.0.0.1/portal/callback", "http://localhost/portal/callback"}

// client is the app as a native, public OpenID Connect client (op.Client):
// PKCE instead of a secret, JWT access tokens, refresh tokens.
type client struct {
	id         string
	loginURL   string // the sign-in page; the auth request id is appended
	idTokenTTL time.Duration
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string    { return RedirectURIs }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeNative }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodNone }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}
func (c *client) LoginURL(id string) string            { return c.loginURL + "?authRequestID=" + id }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *client) IDTokenLifetime() time.Duration       { return c.idTokenTTL }
func (c *client) DevMode() bool                        { return false }
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
