// Package identity holds what the app, the exchange service and the
// development identity provider agree on about signed-in people: the
// OpenID Connect provider settings, the claims that carry a person's eIDAS
// attributes, and the levels of assurance.
package identity

import (
	"errors"
	"fmt"
	"net/url"
)

// Levels of assurance, as the OOTS LevelsOfAssurance code list spells them.
const (
	LevelLow         = "Low"
	LevelSubstantial = "Substantial"
	LevelHigh        = "High"
)

// The eIDAS level-of-assurance URIs an identity provider puts in `acr`.
const (
	ACRLow         = "http://eidas.europa.eu/LoA/low"
	ACRSubstantial = "http://eidas.europa.eu/LoA/substantial"
	ACRHigh        = "http://eidas.europa.eu/LoA/high"
)

var levelRank = map[string]int{LevelLow: 1, LevelSubstantial: 2, LevelHigh: 3}

var acrLevel = map[string]string{ACRLow: LevelLow, ACRSubstantial: LevelSubstantial, ACRHigh: LevelHigh}

// LevelFromACR maps an `acr` claim to an OOTS level of assurance; ok is
// false for a value that names none of the eIDAS levels.
func LevelFromACR(acr string) (level string, ok bool) {
	level, ok = acrLevel[acr]
	return level, ok
}

// ACR returns the eIDAS `acr` value of an OOTS level, "" for an unknown one.
func ACR(level string) string {
	for acr, l := range acrLevel {
		if l == level {
			return acr
		}
	}
	return ""
}

// AtLeast reports whether level have satisfies level need; an unknown
// level satisfies nothing, and an empty need is always met.
func AtLeast(have, need string) bool {
	if need == "" {
		return true
	}
	h, n := levelRank[have], levelRank[need]
	return h > 0 && n > 0 && h >= n
}

// Claims names the token claims that carry each attribute, so that any
// OpenID Connect provider can be used (national eID gateways name them
// differently). Empty fields take the defaults of DefaultClaims.
type Claims struct {
	// Identifier carries the eIDAS person identifier, e.g. LV/LV/01019012345.
	Identifier  string `toml:"identifier" json:"identifier,omitempty"`
	GivenName   string `toml:"given_name" json:"given_name,omitempty"`
	FamilyName  string `toml:"family_name" json:"family_name,omitempty"`
	DateOfBirth string `toml:"date_of_birth" json:"date_of_birth,omitempty"` // YYYY-MM-DD
	// ACR carries the level of assurance as an eIDAS URI.
	ACR string `toml:"acr" json:"acr,omitempty"`
	// Role carries "clerk" or "administrator" where the provider assigns
	// them; absent for citizens.
	Role string `toml:"role" json:"role,omitempty"`
	// Institution carries the authority a clerk works for.
	Institution string `toml:"institution" json:"institution,omitempty"`
}

// DefaultClaims are the claim names of the development provider, the OpenID
// Connect standard names where one exists.
func DefaultClaims() Claims {
	return Claims{
		Identifier:  "person_identifier",
		GivenName:   "given_name",
		FamilyName:  "family_name",
		DateOfBirth: "birthdate",
		ACR:         "acr",
		Role:        "vienreiz_role",
		Institution: "vienreiz_institution",
	}
}

// withDefaults fills empty names from DefaultClaims.
func (c Claims) withDefaults() Claims {
	d := DefaultClaims()
	for _, f := range []struct{ v, def *string }{
		{&c.Identifier, &d.Identifier}, {&c.GivenName, &d.GivenName}, {&c.FamilyName, &d.FamilyName},
		{&c.DateOfBirth, &d.DateOfBirth}, {&c.ACR, &d.ACR}, {&c.Role, &d.Role}, {&c.Institution, &d.Institution},
	} {
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	return c
}

// Provider is the identity provider the service trusts and the app signs in
// with: one section of the network file. The service tells apps about it
// at GET /v1/sign-in (nothing in it is secret).
type Provider struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer string `toml:"issuer" json:"issuer"`
	// ClientID is the app's client id at the provider (a public client
	// using PKCE).
	ClientID string `toml:"client_id" json:"client_id"`
	// Audience is what access tokens must name in `aud`; ClientID when
	// empty.
	Audience string `toml:"audience" json:"audience,omitempty"`
	// Claims maps the eIDAS attributes to the provider's claim names.
	Claims Claims `toml:"claims" json:"claims"`
}

// Normalized checks p and returns it with defaults filled in.
func (p Provider) Normalized() (Provider, error) {
	if p.Issuer == "" {
		return p, errors.New("identity provider: issuer URL missing")
	}
	u, err := url.Parse(p.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return p, fmt.Errorf("identity provider: issuer %q is not an http(s) URL", p.Issuer)
	}
	if p.ClientID == "" {
		return p, errors.New("identity provider: client_id missing")
	}
	if p.Audience == "" {
		p.Audience = p.ClientID
	}
	p.Claims = p.Claims.withDefaults()
	return p, nil
}

// Roles a provider may grant in the Role claim; a person without one is a
// citizen (RoleCitizen, as the service names it).
const (
	RoleClerk         = "clerk"
	RoleAdministrator = "administrator"
	RoleCitizen       = "citizen"
)
