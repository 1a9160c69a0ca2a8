package portal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// sessionCookie holds the signed-in person's session: the provider's
// tokens, sealed (sessionSeal).
const sessionCookie = "vienreiz_portal"

// sessionTokens are what the session cookie seals: the access token the
// portal acts with and, from a sign-in at the provider, the refresh token
// that renews it when it runs out (5 minutes at the development provider).
type sessionTokens struct {
	Access  string `json:"a"`
	Refresh string `json:"r,omitempty"`
	// Seen is when the person last asked for a page (Unix milliseconds);
	// Config.SessionIdle after it the session ends.
	Seen int64 `json:"s,omitempty"`
}

// sessionSeal encrypts and authenticates the session cookie (AES-256-GCM):
// the browser keeps the refresh token but cannot read or change it, and
// every process with the same key (Config.SessionKey) opens it.
type sessionSeal struct{ aead cipher.AEAD }

func newSessionSeal(key []byte) (*sessionSeal, error) {
	if key == nil {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	if len(key) != 32 {
		return nil, errors.New("portal: the session key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sessionSeal{aead: aead}, nil
}

func (s *sessionSeal) seal(t sessionTokens) string {
	plain, _ := json.Marshal(t)
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(sessionCookie)))
}

// open returns the tokens of a cookie value sealed with the key, false for
// anything else (another key, a changed or an older, unsealed cookie).
func (s *sessionSeal) open(value string) (sessionTokens, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return sessionTokens{}, false
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(sessionCookie))
	var t sessionTokens
	if err != nil || json.Unmarshal(plain, &t) != nil || t.Access == "" {
		return sessionTokens{}, false
	}
	return t, true
}

// sessionState is one request's reading of the session, made once (a
// refresh uses up the refresh token).
type sessionState struct {
	read   bool
	person Person
	ok     bool
	// ended is the notice of a session that ended here ("" for none):
	// left idle, or not renewed.
	ended string
}

type sessionKey struct{}

// withSessionState gives each request its sessionState.
func withSessionState(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, &sessionState{})))
	})
}

// session is who is signed in on the portal, if anyone. An access token
// that ran out is renewed with the refresh token, and the new tokens
// sealed into the cookie; a session left idle (Config.SessionIdle) or
// that cannot be renewed is forgotten and reported as ended, by the
// text key of its notice (the page says so once).
func (p *portal) session(w http.ResponseWriter, r *http.Request) (person Person, ok bool, ended string) {
	st, _ := r.Context().Value(sessionKey{}).(*sessionState)
	if st == nil {
		st = &sessionState{}
	}
	if !st.read {
		st.read = true
		st.person, st.ok, st.ended = p.readSession(w, r)
	}
	return st.person, st.ok, st.ended
}

func (p *portal) readSession(w http.ResponseWriter, r *http.Request) (Person, bool, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || p.cfg.People == nil {
		return Person{}, false, ""
	}
	t, sealed := p.seal.open(c.Value)
	now := time.Now()
	if sealed && t.Seen != 0 && now.Sub(time.UnixMilli(t.Seen)) > p.cfg.SessionIdle {
		if t.Refresh != "" {
			p.revoke(r.Context(), t.Refresh) // a copy of the cookie renews nothing
		}
		clearSession(w)
		return Person{}, false, "portal.session_idle"
	}
	if sealed {
		if person, ok := p.cfg.People.Person(r, t.Access); ok {
			// The time of use is sealed anew now and then, not at every page.
			if now.Sub(time.UnixMilli(t.Seen)) > p.cfg.SessionIdle/10 {
				p.setSession(w, r, t)
			}
			return person, true, ""
		}
		if renewed, ok := p.renew(r, t.Refresh); ok {
			if person, ok := p.cfg.People.Person(r, renewed.Access); ok {
				p.setSession(w, r, renewed)
				return person, true, ""
			}
		}
	}
	clearSession(w)
	return Person{}, false, "portal.session_ended"
}

// renew asks the provider for new tokens with refresh, false when there
// is no provider or refresh token, or the provider refuses.
func (p *portal) renew(r *http.Request, refresh string) (sessionTokens, bool) {
	if refresh == "" || p.web == nil {
		return sessionTokens{}, false
	}
	provider, _, err := p.web.discover(r.Context())
	if err != nil {
		p.cfg.Log.Warn("portal: renewing a session", "err", err)
		return sessionTokens{}, false
	}
	tok, err := p.web.config(r, provider).TokenSource(r.Context(), &oauth2.Token{RefreshToken: refresh}).Token()
	if err != nil {
		p.cfg.Log.Info("portal: a session could not be renewed", "err", err)
		return sessionTokens{}, false
	}
	next := sessionTokens{Access: tok.AccessToken, Refresh: tok.RefreshToken}
	if next.Refresh == "" { // a provider that does not rotate them
		next.Refresh = refresh
	}
	return next, true
}

// revoke revokes refresh at the provider's revocation endpoint (RFC
// 7009), when there is one; a failure is logged: the browser forgets the
// session all the same.
func (p *portal) revoke(ctx context.Context, refresh string) {
	if p.web == nil {
		return
	}
	provider, _, err := p.web.discover(ctx)
	var endpoints struct {
		Revocation string `json:"revocation_endpoint"`
	}
	if err == nil {
		err = provider.Claims(&endpoints)
	}
	if err != nil || endpoints.Revocation == "" {
		p.cfg.Log.Info("portal: a refresh token was not revoked: the provider names no revocation endpoint", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	form := url.Values{"token": {refresh}, "token_type_hint": {"refresh_token"}, "client_id": {p.web.provider.ClientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoints.Revocation, strings.NewReader(form.Encode()))
	if err != nil {
		p.cfg.Log.Warn("portal: revoking a refresh token", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("the provider answered %s", resp.Status)
		}
	}
	if err != nil {
		p.cfg.Log.Warn("portal: revoking a refresh token", "err", err)
	}
}

// setSession keeps t as the portal's session. SameSite=Lax, not Strict:
// the way back from a provider on another site is a navigation that site
// started, on which browsers hold back Strict cookies; Lax ones still
// stay out of other sites' forms (POST).
func (p *portal) setSession(w http.ResponseWriter, r *http.Request, t sessionTokens) {
	t.Seen = time.Now().UnixMilli()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: p.seal.seal(t), Path: "/portal/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

// clearSession forgets the portal's session.
func clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/portal/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
