package portal

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReturnPath: whatever a sign-in link's next says (it comes from the
// browser), the way back is a page of the portal on the portal's own
// host: no scheme, no host, no "//" or "\" a browser could read as one,
// no line breaks for a header.
func FuzzReturnPath(f *testing.F) {
	for _, seed := range []string{"/portal/services/lv-ehic", "//evil.example/portal/", "https://evil.example/portal/", "/portal/../v1",
		"/\\evil.example/portal/", "/portal/callback", "/portal/%2e%2e/x", "/portal/a\r\nSet-Cookie: x=1", "", "/portal//evil.example"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		back := returnPath(next)
		u, err := url.Parse(back)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(back, "/portal/") ||
			strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") || strings.Contains(back, "/portal//") {
			t.Fatalf("next %q leads to %q", next, back)
		}
		if u.Path == callbackPath {
			t.Fatalf("next %q leads back to the callback", next)
		}
	})
}

// FuzzSessionCookie: whatever a browser sends as the session cookie, it is
// opened without a panic, and only a value this key sealed opens; a sealed
// value opens to what was sealed.
func FuzzSessionCookie(f *testing.F) {
	seal, err := newSessionSeal(nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seal.seal(sessionTokens{Access: "a.b.c", Refresh: "r"}), "a.b.c", "r")
	f.Add("an.expired.token", "x", "")
	f.Add("", "x", "y")
	f.Fuzz(func(t *testing.T, cookie, access, refresh string) {
		if got, ok := seal.open(cookie); ok && got.Access == "" {
			t.Fatalf("%q opened to no access token", cookie)
		}
		if access == "" || !utf8.ValidString(access) || !utf8.ValidString(refresh) { // tokens are text (RFC 6749: visible ASCII)
			return
		}
		want := sessionTokens{Access: access, Refresh: refresh}
		if got, ok := seal.open(seal.seal(want)); !ok || got != want {
			t.Fatalf("sealed %+v, opened %+v (%v)", want, got, ok)
		}
	})
}
