package portal

import (
	"net/url"
	"strings"
	"testing"
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
