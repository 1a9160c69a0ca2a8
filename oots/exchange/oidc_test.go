package exchange_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// startIdP starts the development identity provider for one test.
func startIdP(t *testing.T) *devidp.Server {
	t.Helper()
	idp, err := devidp.Start(context.Background(), devidp.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close(context.Background()) })
	return idp
}

func oidcTokens(t *testing.T, idp *devidp.Server, now func() time.Time) *exchange.OIDCTokens {
	t.Helper()
	auth, err := exchange.NewOIDCTokens(context.Background(), idp.Provider(), exchange.OIDCOptions{Now: now, Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	return auth
}

func accessToken(t *testing.T, idp *devidp.Server, user, level string) string {
	t.Helper()
	tok, err := devidptest.SignIn(context.Background(), idp.Issuer(), user, level)
	if err != nil {
		t.Fatalf("sign-in as %s: %v", user, err)
	}
	return tok.AccessToken
}

// claimsOf returns the payload of a compact JWT.
func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// withPayload returns jwt with its payload replaced by claims, the
// signature kept: a tampered token.
func withPayload(t *testing.T, jwt string, claims map[string]any) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	raw, _ := json.Marshal(claims)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(raw) + "." + parts[2]
}

// TestAccessTokensAreValidatedOnEveryCall: the service accepts the
// development provider's access tokens and answers 401 for a missing token,
// a wrong issuer, a wrong audience, an expired token, a tampered one, one
// signed by an unknown key or none at all, and one without a person.
func TestAccessTokensAreValidatedOnEveryCall(t *testing.T) {
	idp := startIdP(t)
	srv := start(t, exchange.Config{DataDir: t.TempDir(), Auth: oidcTokens(t, idp, nil)})
	good := accessToken(t, idp, "janis", identity.LevelHigh)

	now := time.Now()
	valid := claimsOf(t, good)
	signed := func(change func(c map[string]any)) string {
		c := map[string]any{}
		for k, v := range valid {
			c[k] = v
		}
		c["exp"], c["iat"] = now.Add(5*time.Minute).Unix(), now.Unix()
		change(c)
		tok, err := idp.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	strangerKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	strangerSigner, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: strangerKey, KeyID: "not-published"}}, nil)
	payload, _ := json.Marshal(valid)
	strangerJWS, _ := strangerSigner.Sign(payload)
	unknownKey, _ := strangerJWS.CompactSerialize()
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	unsigned := header + "." + strings.Split(good, ".")[1] + "."
	tampered := map[string]any{}
	for k, v := range valid {
		tampered[k] = v
	}
	tampered["person_identifier"] = "LV/LV/020285-54321"

	cases := []struct {
		name, token string
		want        int
	}{
		{"valid", good, http.StatusOK},
		{"missing", "", http.StatusUnauthorized},
		{"garbage", "not-a-jwt", http.StatusUnauthorized},
		{"wrong issuer", signed(func(c map[string]any) { c["iss"] = "https://idp.example.org" }), http.StatusUnauthorized},
		{"wrong audience", signed(func(c map[string]any) { c["aud"] = []string{"another-app"} }), http.StatusUnauthorized},
		{"expired", signed(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() }), http.StatusUnauthorized},
		{"tampered", withPayload(t, good, tampered), http.StatusUnauthorized},
		{"unknown key", unknownKey, http.StatusUnauthorized},
		{"unsigned (alg none)", unsigned, http.StatusUnauthorized},
		{"no person identifier", signed(func(c map[string]any) { delete(c, "person_identifier") }), http.StatusUnauthorized},
		{"clerk without institution", signed(func(c map[string]any) { c["vienreiz_role"] = "clerk" }), http.StatusUnauthorized},
		{"signed by the provider, all valid", signed(func(map[string]any) {}), http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body api.Error
			var out any = &body
			if tc.want == http.StatusOK {
				out = nil
			}
			if got := call(t, srv.URL(), tc.token, "GET", "/v1/requests", nil, out); got != tc.want {
				t.Errorf("GET /v1/requests = %d, want %d (%+v)", got, tc.want, body)
			}
		})
	}
}

// TestExpiredAccessTokenOfTheProvider: a real token presented after its
// expiry is refused.
func TestExpiredAccessTokenOfTheProvider(t *testing.T) {
	idp := startIdP(t)
	later := func() time.Time { return time.Now().Add(6 * time.Minute) }
	auth := oidcTokens(t, idp, later)
	tok := accessToken(t, idp, "janis", "")
	r := httptest.NewRequest("GET", "/v1/requests", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	if _, err := auth.Authenticate(r); !errors.Is(err, exchange.ErrUnauthenticated) {
		t.Fatalf("token used 6 minutes after issue (lifetime 5): %v, want ErrUnauthenticated", err)
	}
	if _, err := oidcTokens(t, idp, nil).Authenticate(r); err != nil {
		t.Fatalf("the same token now: %v", err)
	}
}

// TestSigningKeyRotation: after the provider rotates its key, tokens signed
// by the new key are accepted without a restart (the key set is fetched
// again), and those of the old key still are while it is published.
func TestSigningKeyRotation(t *testing.T) {
	idp := startIdP(t)
	auth := oidcTokens(t, idp, nil)
	try := func(tok string) error {
		r := httptest.NewRequest("GET", "/v1/requests", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		_, err := auth.Authenticate(r)
		return err
	}
	before := accessToken(t, idp, "mari", "")
	if err := try(before); err != nil {
		t.Fatal(err)
	}
	if err := idp.RotateKey(); err != nil {
		t.Fatal(err)
	}
	after := accessToken(t, idp, "mari", "")
	if strings.Split(before, ".")[0] == strings.Split(after, ".")[0] {
		t.Fatal("the new token names the same key")
	}
	if err := try(after); err != nil {
		t.Errorf("token of the rotated-in key: %v", err)
	}
	if err := try(before); err != nil {
		t.Errorf("token of the earlier, still published key: %v", err)
	}
}

// TestTokenClaimsMakeThePrincipal: the person's eIDAS attributes, level of
// assurance, role and institution come from the token.
func TestTokenClaimsMakeThePrincipal(t *testing.T) {
	idp := startIdP(t)
	auth := oidcTokens(t, idp, nil)
	cases := []struct {
		user, level string
		want        exchange.Principal
	}{
		{"janis", identity.LevelHigh, exchange.Principal{Subject: "LV/LV/01019012345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01", LevelOfAssurance: "High"}},
		{"lukas", identity.LevelSubstantial, exchange.Principal{Subject: "DE/DE/T220001293", GivenName: "Lukas", FamilyName: "Müller", DateOfBirth: "1978-11-30", LevelOfAssurance: "Substantial"}},
		{"anna", identity.LevelLow, exchange.Principal{Subject: "LV/LV/23038811111", GivenName: "Anna", FamilyName: "Ozola", DateOfBirth: "1988-03-23", LevelOfAssurance: "Low", Role: exchange.RoleClerk, Institution: "LV-UR"}},
		{"admin", "", exchange.Principal{Subject: "LV/LV/05058012121", GivenName: "Pēteris", FamilyName: "Admins", DateOfBirth: "1980-05-05", LevelOfAssurance: "Substantial", Role: exchange.RoleAdministrator}},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "Bearer "+accessToken(t, idp, tc.user, tc.level))
		got, err := auth.Authenticate(r)
		if err != nil {
			t.Fatalf("%s: %v", tc.user, err)
		}
		if got != tc.want {
			t.Errorf("%s: principal %+v, want %+v", tc.user, got, tc.want)
		}
	}
}

func TestOIDCTokensNeedAReachableProvider(t *testing.T) {
	_, err := exchange.NewOIDCTokens(context.Background(), identity.Provider{Issuer: "http://127.0.0.1:1", ClientID: "x"}, exchange.OIDCOptions{})
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("unreachable provider: %v", err)
	}
	_, err = exchange.NewOIDCTokens(context.Background(), identity.Provider{Issuer: "http://127.0.0.1:1"}, exchange.OIDCOptions{})
	if err == nil || !strings.Contains(err.Error(), "client_id") {
		t.Errorf("no client id: %v", err)
	}
}
