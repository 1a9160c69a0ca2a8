package exchange

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
)

// ErrUnauthenticated is returned when a call carries no valid credentials.
var ErrUnauthenticated = errors.New("sign-in required")

// serviceActor is who the ledger names for what the service does on a
// citizen's behalf: sending requests, taking answers, time-outs.
var serviceActor = Principal{Subject: "service"}

// Principal is the person an API call is made by.
type Principal struct {
	// Subject is the person's identifier, e.g. an eIDAS identifier
	// LV/LV/01019012345 (eidas.ID); it owns the requests they make.
	Subject     string
	GivenName   string
	FamilyName  string
	DateOfBirth string // YYYY-MM-DD
	// Role is RoleCitizen (the default when empty), RoleClerk or
	// RoleAdministrator.
	Role string
	// Institution is the authority a clerk works for.
	Institution string `json:",omitempty"`
	// LevelOfAssurance is the sign-in's level on the OOTS code list (Low,
	// Substantial, High); empty when the token named none.
	LevelOfAssurance string `json:",omitempty"`
}

// Roles of the people who call the API (principle P9); checked in the
// service, not only in the app.
const (
	RoleCitizen       = "citizen"
	RoleClerk         = "clerk"
	RoleAdministrator = "administrator"
)

// IsClerk reports whether p works at an authority and may post status
// changes of any request.
func (p Principal) IsClerk() bool { return p.Role == RoleClerk }

// Authenticator tells who makes an API call: OIDCTokens for signed-in
// people; BearerTokens for fixed demo tokens in tests and headless use.
type Authenticator interface {
	Authenticate(r *http.Request) (Principal, error)
}

// BearerTokens authenticates calls by fixed bearer tokens, one per person:
// the embedded demo's stand-in until sign-in lands. Tokens are compared in
// constant time.
type BearerTokens map[string]Principal

// Authenticate returns the person whose token the Authorization header
// carries, or ErrUnauthenticated.
func (b BearerTokens) Authenticate(r *http.Request) (Principal, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return Principal{}, ErrUnauthenticated
	}
	for known, p := range b {
		if subtle.ConstantTimeCompare([]byte(known), []byte(token)) == 1 {
			return p, nil
		}
	}
	return Principal{}, ErrUnauthenticated
}

// DemoCitizen is the person the embedded demo signs in as until sign-in
// lands: a Latvian citizen with an eIDAS-style identifier.
func DemoCitizen() Principal {
	return Principal{Subject: "LV/LV/01019012345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01"}
}

// DemoClerk is the clerk of the embedded demo, until sign-in with roles
// lands.
func DemoClerk() Principal {
	return Principal{Subject: "LV/LV/clerk0001", GivenName: "Anna", FamilyName: "Ozola", Role: RoleClerk}
}

// NewToken returns a random bearer token.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// FirstOf authenticates a call by the first of its authenticators that
// accepts it: demo bearer tokens beside OpenID Connect sign-in, say.
type FirstOf []Authenticator

// Authenticate returns the first accepted person, or the last refusal.
func (f FirstOf) Authenticate(r *http.Request) (Principal, error) {
	err := ErrUnauthenticated
	for _, a := range f {
		var p Principal
		if p, err = a.Authenticate(r); err == nil {
			return p, nil
		}
	}
	return Principal{}, err
}
