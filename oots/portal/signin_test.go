package portal_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// startSignInService is an exchange service whose portal signs people in
// at the development identity provider, as `make run` has it.
func startSignInService(t *testing.T) (base string, idp *devidp.Server) {
	t.Helper()
	return startSignInServiceTTL(t, 0)
}

// startSignInServiceTTL is startSignInService with the provider's access
// tokens living ttl (0: its default).
func startSignInServiceTTL(t *testing.T, ttl time.Duration) (base string, idp *devidp.Server) {
	t.Helper()
	return startSignInServiceWith(t, ttl, exchange.Limits{})
}

// startSignInServiceWith is startSignInServiceTTL with the service's limits.
func startSignInServiceWith(t *testing.T, ttl time.Duration, limits exchange.Limits) (base string, idp *devidp.Server) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	idp, err := devidp.Start(ctx, devidp.Options{Log: log, AccessTokenTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close(context.Background()) })
	auth, err := exchange.NewOIDCTokens(ctx, idp.Provider(), exchange.OIDCOptions{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	s, err := exchange.Start(ctx, exchange.Config{DataDir: t.TempDir(), Auth: auth, SignIn: idp.Provider(), Network: demonet.Embedded{},
		HandoffKey: serviceKey, Logger: log, Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s.URL(), idp
}

// browserWithJar is a stand-in browser that keeps cookies.
func browserWithJar() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// fetch GETs or POSTs (form not nil) u with browser, in English.
func fetch(t *testing.T, browser *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	method, body := http.MethodGet, io.Reader(nil)
	if form != nil {
		method, body = http.MethodPost, strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPortalSignsInAtTheIdentityProvider: the portal's Sign in asked for
// a pasted access token (the demo's -demo-tokens), which no citizen has.
// With an identity provider, as `make run` has, it sends the browser to
// the provider's sign-in page and back (code flow, PKCE, nonce); the
// portal then names the person, and the code it makes works for that
// person only. Tried as an attacker: an answer for another sign-in
// (state), one with no sign-in started in this browser, a code redeemed
// twice and a refusal by the provider sign nobody in.
func TestPortalSignsInAtTheIdentityProvider(t *testing.T) {
	ctx := context.Background()
	base, idp := startSignInService(t)
	browser := browserWithJar()
	// Sign in from a service page comes back to it.
	if _, page := fetch(t, browser, base+"/portal/services/lv-birth-certificate", nil); !strings.Contains(page, `href="/portal/sign-in?next=%2fportal%2fservices%2flv-birth-certificate"`) {
		t.Fatalf("the service page's Sign in does not come back to it:\n%.1500s", page)
	}
	landed, err := devidptest.SignInAt(ctx, browser, base+"/portal/sign-in?next=/portal/services/lv-birth-certificate", "janis", identity.LevelSubstantial)
	if err != nil {
		t.Fatal(err)
	}
	if landed.Path != "/portal/services/lv-birth-certificate" {
		t.Fatalf("after signing in the browser is at %s", landed)
	}
	// Tried as an attacker: a sign-in link that would send the browser on
	// to another site, or out of the portal, lands on the portal's front.
	for _, next := range []string{"//evil.example/portal/", "https://evil.example/portal/", "/portal/../v1/requests", "/\\evil.example/portal/", "/portal/callback"} {
		landed, err := devidptest.SignInAt(ctx, browserWithJar(), base+"/portal/sign-in?next="+url.QueryEscape(next), "janis", "")
		if err != nil || landed.Host != mustURL(t, base).Host || landed.Path != "/portal/" {
			t.Errorf("next=%s: landed at %v (%v)", next, landed, err)
		}
	}
	if _, page := fetch(t, browser, base+"/portal/", nil); !strings.Contains(page, "Jānis Bērziņš") {
		t.Fatalf("the portal does not name the person signed in:\n%.2000s", page)
	}

	// The code made signed in is Jānis's: another person cannot redeem it.
	const birth = "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"
	status, page := fetch(t, browser, base+"/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {birth}, "country": {"LV"}})
	if status != http.StatusOK || !strings.Contains(page, `id="code"`) {
		t.Fatalf("continue in the app: %d\n%.500s", status, page)
	}
	code := strings.SplitN(strings.SplitN(page, `id="code"`, 2)[1], ">", 2)[1]
	code = code[:strings.Index(code, "<")]
	as := func(user string) *client.Client {
		tok, err := devidptest.SignIn(ctx, idp.Issuer(), user, identity.LevelSubstantial)
		if err != nil {
			t.Fatal(err)
		}
		return client.New(base).WithToken(tok.AccessToken)
	}
	if _, err := as("liga").Redeem(ctx, api.Redeem{Code: code}); err == nil {
		t.Fatal("Līga redeemed the code Jānis made signed in")
	}
	req, err := as("janis").Redeem(ctx, api.Redeem{Code: code})
	if err != nil || req.ServiceID != "lv-birth-certificate" {
		t.Fatalf("Jānis redeeming his code: %+v, %v", req, err)
	}

	// Sign out ends the portal's session.
	fetch(t, browser, base+"/portal/sign-out", url.Values{})
	if _, page := fetch(t, browser, base+"/portal/", nil); strings.Contains(page, "Jānis") {
		t.Fatal("still signed in after signing out")
	}

	// Answers that belong to no sign-in of this browser. Each case starts
	// its own sign-in: an answer, good or bad, ends the one pending.
	started := func() (*http.Client, *url.URL) {
		b := browserWithJar()
		b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := b.Get(base + "/portal/sign-in")
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-in start: %v %v", resp, err)
		}
		resp.Body.Close()
		provider, _ := url.Parse(resp.Header.Get("Location"))
		return b, provider
	}
	if _, provider := started(); provider.Query().Get("code_challenge_method") != "S256" || provider.Query().Get("nonce") == "" {
		t.Fatalf("the sign-in is sent without PKCE or nonce: %s", provider)
	}
	for _, c := range []struct {
		name  string
		query func(state string) string
		fresh bool // the answer comes to a browser with no sign-in started
		says  string
	}{
		{"another sign-in's state", func(string) string { return "code=x&state=forged" }, false, "another sign-in (state)"},
		{"no sign-in started here", func(st string) string { return "code=x&state=" + st }, true, "no sign-in was started in this browser"},
		{"refused by the provider", func(st string) string { return "error=access_denied&error_description=cancelled&state=" + st }, false, "access_denied"},
		{"a made-up code", func(st string) string { return "code=made-up&state=" + st }, false, "redeeming the code"},
	} {
		b, provider := started()
		if c.fresh {
			b = browserWithJar()
		}
		status, page := fetch(t, b, base+"/portal/callback?"+c.query(provider.Query().Get("state")), nil)
		if status != http.StatusBadRequest || !strings.Contains(page, "Sign-in not completed") || !strings.Contains(page, c.says) {
			t.Errorf("%s: %d\n%.300s", c.name, status, page)
		}
		for _, ck := range b.Jar.Cookies(mustURL(t, base+"/portal/")) {
			if ck.Name == "vienreiz_portal" {
				t.Errorf("%s: a session was kept", c.name)
			}
		}
	}
}

// TestPortalSignInWithTheProviderDown: the portal starts while the
// identity provider does not answer, and Sign in then says so instead of
// failing blank.
func TestPortalSignInWithTheProviderDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := exchange.Start(ctx, exchange.Config{DataDir: t.TempDir(), Auth: people, SignIn: identity.Provider{Issuer: down, ClientID: devidp.ClientID},
		Network: demonet.Embedded{}, HandoffKey: serviceKey, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Close(ctx)
	}()
	status, page := fetch(t, browserWithJar(), s.URL()+"/portal/sign-in", nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(page, "The sign-in service does not answer just now") {
		t.Fatalf("%d\n%.500s", status, page)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestPortalSaysWhenItsSignInEnded: the portal keeps the provider's access
// token as its session, which ends with the token (5 minutes at the
// development provider). It then showed the pages signed out without a
// word, and a code made next was no longer bound to the person, who had
// no reason to think so. The first page after says the sign-in ended,
// and the stale cookie is removed.
func TestPortalSaysWhenItsSignInEnded(t *testing.T) {
	base, _ := startSignInService(t)
	browser := browserWithJar()
	u := mustURL(t, base+"/portal/")
	browser.Jar.SetCookies(u, []*http.Cookie{{Name: "vienreiz_portal", Value: "an.expired.token", Path: "/portal/"}})
	_, page := fetch(t, browser, base+"/portal/services/lv-birth-certificate", nil)
	if !strings.Contains(page, "Your sign-in on the portal has ended") || !strings.Contains(page, `href="/portal/sign-in`) {
		t.Fatalf("an ended session is not told:\n%.2500s", page)
	}
	for _, ck := range browser.Jar.Cookies(u) {
		if ck.Name == "vienreiz_portal" {
			t.Fatal("the ended session's cookie is kept")
		}
	}
	if _, page := fetch(t, browser, base+"/portal/", nil); strings.Contains(page, "has ended") {
		t.Fatal("the next page says it again")
	}
}

// TestPortalSessionOutlivesItsAccessToken: the portal's session was the
// provider's access token and ended with it, 5 minutes after signing in
// at the development provider (noted in the last closing notes). The
// cookie now seals the refresh token with it: once the access token has
// run out, the next page renews it and the person stays signed in, and a
// code made then is still bound to them (one renewal per page: the
// provider takes each refresh token once). Tried as an attacker: the
// cookie does not show the tokens, and one changed character ends the
// session.
func TestPortalSessionOutlivesItsAccessToken(t *testing.T) {
	base, browser, u := signedInBriefly(t)
	cookie := func() string { return sessionCookieIn(browser, u) }
	first := cookie()
	if first == "" || strings.Contains(first, "eyJ") {
		t.Fatalf("the session cookie: %q", first)
	}
	for round := range 2 {
		time.Sleep(briefTTL + briefTTL/2) // the access token runs out
		if round == 0 {
			if _, page := fetch(t, browser, base+"/portal/services/lv-birth-certificate", nil); !strings.Contains(page, "Jānis Bērziņš") || strings.Contains(page, "has ended") {
				t.Fatalf("after the access token ran out:\n%.2000s", page)
			}
			continue
		}
		const birth = "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"
		status, page := fetch(t, browser, base+"/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {birth}, "country": {"LV"}})
		if status != http.StatusOK || !strings.Contains(page, "only for Jānis Bērziņš") || strings.Contains(page, "has ended") {
			t.Fatalf("a code made after the access token ran out again: %d\n%.2500s", status, page)
		}
	}
	if cookie() == first {
		t.Fatal("the renewed tokens were not sealed into the cookie")
	}
	value := []byte(cookie())
	value[len(value)/2] ^= 1
	browser.Jar.SetCookies(u, []*http.Cookie{{Name: "vienreiz_portal", Value: string(value), Path: "/portal/"}})
	if _, page := fetch(t, browser, base+"/portal/", nil); !strings.Contains(page, "Your sign-in on the portal has ended") || strings.Contains(page, "Jānis Bērziņš") {
		t.Fatalf("a changed cookie:\n%.2000s", page)
	}
}

// TestPortalSignOutRevokesTheSession: the session cookie now holds a
// refresh token, so Sign out revokes it at the provider. Tried as an
// attacker with a copy of the cookie taken before Sign out: once its
// access token has run out it renews nothing, and the page says the
// sign-in ended.
func TestPortalSignOutRevokesTheSession(t *testing.T) {
	base, browser, u := signedInBriefly(t)
	copied := sessionCookieIn(browser, u)
	if status, _ := fetch(t, browser, base+"/portal/sign-out", url.Values{}); status != http.StatusOK {
		t.Fatalf("sign out: %d", status)
	}
	time.Sleep(briefTTL + briefTTL/2) // the copy's access token runs out
	thief := browserWithJar()
	thief.Jar.SetCookies(u, []*http.Cookie{{Name: "vienreiz_portal", Value: copied, Path: "/portal/"}})
	if _, page := fetch(t, thief, base+"/portal/", nil); strings.Contains(page, "Jānis Bērziņš") || !strings.Contains(page, "has ended") {
		t.Fatalf("a copy of the signed-out cookie:\n%.2000s", page)
	}
}

// sessionCookieIn is the portal's session cookie browser holds for u, ""
// for none.
func sessionCookieIn(browser *http.Client, u *url.URL) string {
	for _, c := range browser.Jar.Cookies(u) {
		if c.Name == "vienreiz_portal" {
			return c.Value
		}
	}
	return ""
}

// briefTTL is how long the provider's access tokens live in the tests of
// their running out. Two seconds, not one: the token's expiry is a whole
// second, so a one-second token could run out at once (a CI run's sign-in
// was refused with 403 under the race detector's load).
const briefTTL = 2 * time.Second

// signedInBriefly signs Jānis in on the portal of a service whose
// provider's access tokens live briefTTL; it returns the service, the
// browser and the portal's address.
func signedInBriefly(t *testing.T) (base string, browser *http.Client, portal *url.URL) {
	t.Helper()
	base, _ = startSignInServiceTTL(t, briefTTL)
	browser = browserWithJar()
	if _, err := devidptest.SignInAt(context.Background(), browser, base+"/portal/sign-in", "janis", identity.LevelSubstantial); err != nil {
		t.Fatal(err)
	}
	return base, browser, mustURL(t, base+"/portal/")
}

// TestPortalOffersTheSignedInPersonsCountryFirst: Lukas, a German signed
// in on the Latvian pension's page, found Latvia chosen for his proof of
// birth and his contributions; one Continue would have asked Latvia for a
// German's birth (found by trying the portal). A signed-in person's
// country is chosen where the evidence can be asked for there; the
// service's stays chosen where it cannot, and for nobody signed in.
func TestPortalOffersTheSignedInPersonsCountryFirst(t *testing.T) {
	const page = "/portal/services/lv-pension-claim"
	base, _ := startSignInService(t)
	chosen := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<option value="([A-Z]{2})" selected>`).FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	if _, body := fetch(t, browserWithJar(), base+page, nil); !slices.Equal(chosen(body), []string{"LV", "LV"}) {
		t.Fatalf("nobody signed in: chosen %v, want the service's country for both", chosen(body))
	}
	lukas := browserWithJar()
	if _, err := devidptest.SignInAt(context.Background(), lukas, base+"/portal/sign-in?next="+page, "lukas", identity.LevelSubstantial); err != nil {
		t.Fatal(err)
	}
	if _, body := fetch(t, lukas, base+page, nil); !slices.Equal(chosen(body), []string{"DE", "DE"}) {
		t.Fatalf("Lukas signed in: chosen %v, want Germany for both", chosen(body))
	}
	mari := browserWithJar()
	if _, err := devidptest.SignInAt(context.Background(), mari, base+"/portal/sign-in?next="+page, "mari", identity.LevelSubstantial); err != nil {
		t.Fatal(err)
	}
	// Estonia holds no contributions: the service's country stays chosen.
	if _, body := fetch(t, mari, base+page, nil); !slices.Equal(chosen(body), []string{"LV", "EE"}) {
		t.Fatalf("Mari signed in: chosen %v, want Latvia for the contributions, Estonia for her birth", chosen(body))
	}
}

// TestPortalSignsOutASessionLeftIdle: found trying the portal as a shared
// computer is used. Mari signed in at a library's computer, looked at a
// service and signed out; the browser's Back showed the page again,
// "Signed in as Mari Tamm", from its cache; and a portal left open stayed
// signed in as long as the browser ran. Pages made for a signed-in person
// are not kept by the browser (Cache-Control: no-store), and a sign-in
// not used for Limits.PortalIdle ends: the page says why, and the refresh
// token is revoked, so a copy of the cookie renews nothing either. A
// person who goes on using the portal stays signed in.
func TestPortalSignsOutASessionLeftIdle(t *testing.T) {
	const idle = 3 * time.Second
	base, _ := startSignInServiceWith(t, briefTTL, exchange.Limits{PortalIdle: idle})
	browser := browserWithJar()
	if _, err := devidptest.SignInAt(context.Background(), browser, base+"/portal/sign-in", "mari", identity.LevelSubstantial); err != nil {
		t.Fatal(err)
	}
	u := mustURL(t, base+"/portal/")
	resp, err := browser.Get(base + "/portal/services/lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Mari Tamm") || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("a signed-in page: Cache-Control %q\n%.1500s", resp.Header.Get("Cache-Control"), page)
	}
	for range 3 { // in use: 6 s in all, twice the idle time
		time.Sleep(idle * 2 / 3)
		if _, page := fetch(t, browser, base+"/portal/", nil); !strings.Contains(page, "Mari Tamm") {
			t.Fatalf("signed out while in use:\n%.1500s", page)
		}
	}
	copied := sessionCookieIn(browser, u)
	time.Sleep(idle + idle/2)
	if _, page := fetch(t, browser, base+"/portal/", nil); strings.Contains(page, "Mari Tamm") || !strings.Contains(page, "was not used for a while") {
		t.Fatalf("a sign-in left idle:\n%.2000s", page)
	}
	thief := browserWithJar()
	thief.Jar.SetCookies(u, []*http.Cookie{{Name: "vienreiz_portal", Value: copied, Path: "/portal/"}})
	if _, page := fetch(t, thief, base+"/portal/", nil); strings.Contains(page, "Mari Tamm") {
		t.Fatalf("a copy of the idle session's cookie:\n%.2000s", page)
	}
}
