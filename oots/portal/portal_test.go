package portal_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPortalAnswers: the pages answer with HTML and the security headers,
// unknown services and incomplete forms get a clear page, and a
// signed-out handoff page names no person.
func TestPortalAnswers(t *testing.T) {
	base := startService(t, t.TempDir())
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		method, path string
		form         url.Values
		status       int
		contains     string
	}{
		{"GET", "/portal", nil, http.StatusMovedPermanently, ""},
		{"GET", "/portal/", nil, http.StatusOK, "Public services"},
		{"GET", "/portal/?q=augstskol%C4%81", nil, http.StatusOK, "lv-university-admission"},
		{"GET", "/portal/?category=Bad%20One", nil, http.StatusBadRequest, "Search not understood"},
		{"GET", "/portal/services/lv-birth-certificate", nil, http.StatusOK, "Continue in the app"},
		{"GET", "/portal/services/no-such", nil, http.StatusNotFound, "Service not found"},
		{"GET", "/portal/services/..%2Fetc", nil, http.StatusNotFound, ""},
		{"GET", "/portal/nothing-here", nil, http.StatusNotFound, "Page not found"},
		{"POST", "/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {"x"}, "country": {"LV"}}, http.StatusBadRequest, "Choose the evidence"},
		{"POST", "/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {"https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"}, "country": {"XX1"}}, http.StatusBadRequest, "cannot be given this request"},
		{"POST", "/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {"https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"}, "country": {"LV"}}, http.StatusOK, "The code works once"},
		{"POST", "/portal/sign-in", url.Values{"token": {"wrong"}}, http.StatusUnauthorized, "not known"},
		{"POST", "/portal/sign-in", url.Values{"token": {janisToken}}, http.StatusSeeOther, ""},
		{"GET", "/open/services/lv-birth-certificate", nil, http.StatusOK, "vienreiz://services/lv-birth-certificate"},
		{"GET", "/open/requests/abc", nil, http.StatusOK, "vienreiz://requests/abc"},
		{"GET", "/open/a%22%3E%3Cscript%3E", nil, http.StatusOK, `href="#" id="app-link"`},
	} {
		req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(c.form.Encode()))
		if c.form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.contains) {
			t.Errorf("%s %s: %d, want %d with %q\n%.300s", c.method, c.path, resp.StatusCode, c.status, c.contains, body)
		}
		if c.status == http.StatusOK {
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s: content type %q", c.path, ct)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("%s: CSP %q", c.path, csp)
			}
			if strings.Contains(string(body), "only for") {
				t.Errorf("%s: a signed-out page names a person", c.path)
			}
		}
	}
}
