package exchange

import (
	"crypto/hkdf"
	"crypto/sha256"
	"net/http"
	"strings"

	"github.com/vienreiz/vienreiz/oots/portal"
)

// mountPortal serves the demo web portal at /portal/ and the https form
// of the app's direct links at /open/.
func (a *restAPI) mountPortal(mux *http.ServeMux) {
	cfg := portal.Config{Catalogue: a.cat, Log: a.log, SessionIdle: a.portalIdle}
	if a.handoffs != nil {
		cfg.Handoffs = a.handoffs
	}
	if a.reqs != nil {
		cfg.Countries = a.reqs
	}
	if a.auth != nil {
		cfg.People = portalPeople{a.auth}
		cfg.SignIn = a.signInWith
	}
	if a.sessionSecret != nil {
		// A key of its own, derived from the one every process shares.
		cfg.SessionKey, _ = hkdf.Key(sha256.New, a.sessionSecret, nil, "vienreiz portal session", 32)
	}
	h := portal.Handler(cfg)
	for _, prefix := range []string{"/portal", "/portal/", "/open/"} {
		mux.Handle(prefix, h)
	}
}

// portalPeople signs people in on the portal with the tokens the API
// accepts, through the service's own Authenticator.
type portalPeople struct{ auth Authenticator }

func (p portalPeople) Person(r *http.Request, token string) (portal.Person, bool) {
	if token == "" {
		return portal.Person{}, false
	}
	req := r.Clone(r.Context())
	req.Header = http.Header{"Authorization": {"Bearer " + token}}
	who, err := p.auth.Authenticate(req)
	if err != nil {
		return portal.Person{}, false
	}
	name := strings.TrimSpace(who.GivenName + " " + who.FamilyName)
	if name == "" {
		name = who.Subject
	}
	return portal.Person{Subject: who.Subject, Name: name}, true
}
