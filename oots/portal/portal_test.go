package portal_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
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
		{"POST", "/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {"https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"}, "country": {"XX1"}}, http.StatusBadRequest, "cannot be asked for in XX1"},
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
		req.Header.Set("Accept-Language", "en-GB,en;q=0.9,lv;q=0.5")
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

// get fetches path with the given Accept-Language and cookie (either may
// be empty) and returns the answer and its body.
func get(t *testing.T, base, path, acceptLanguage string, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// untranslated finds a translation key shown as it is (portal.css is a
// file name, "the portal." a sentence's end).
var untranslated = regexp.MustCompile(`\b(portal|country)\.(?:[a-z_]+[a-z_]|[A-Z]{2})\b`)

// TestPortalSpeaksLatvianAndEnglish: the portal answers in Latvian unless
// the browser prefers English; the language switch chooses one for good
// (a cookie) over the browser's; every page in both languages has its
// lang attribute, its texts and catalogue data in that language, plurals
// that agree, and no untranslated key.
func TestPortalSpeaksLatvianAndEnglish(t *testing.T) {
	base := startService(t, t.TempDir())
	for _, c := range []struct {
		path, acceptLanguage string
		cookie               *http.Cookie
		lang                 string
		says                 []string
	}{
		{"/portal/", "", nil, "lv", []string{"Publiskie pakalpojumi", "16 pakalpojumi", "Pieprasīt dzimšanas apliecību", `href="/portal/?lang=en"`, "Latvijas Republikas Uzņēmumu reģistrs · Latvija · 5 dienas"}},
		{"/portal/", "de-DE,en;q=0.8", nil, "en", []string{"Public services", "16 services", "Request a birth certificate", "Register of Enterprises of the Republic of Latvia · Latvia · 5 days"}},
		{"/portal/?q=European+Health+Insurance+Card", "en", nil, "en", []string{"1 service<"}},
		{"/portal/?q=Eiropas+vesel%C4%ABbas+apdro%C5%A1in%C4%81%C5%A1anas+karti", "lv", nil, "lv", []string{"1 pakalpojums<"}},
		{"/portal/services/lv-birth-certificate", "lv-LV,lv;q=0.9", nil, "lv", []string{"Dzimšanas fakta apliecinājums", "Turpināt lietotnē", "Latvija", "5 dienas"}},
		{"/portal/services/lv-birth-certificate", "lv", &http.Cookie{Name: "vienreiz_lang", Value: "en"}, "en", []string{"Proof of birth", "Continue in the app", ">Latvia<"}},
		{"/portal/sign-in?lang=lv", "en", nil, "lv", []string{"Piekļuves pilnvara"}},
		{"/portal/services/no-such", "lv", nil, "lv", []string{"Pakalpojums nav atrasts"}},
		{"/open/services/lv-birth-certificate", "en", nil, "en", []string{"Open in the Vienreiz app", "See this service on the portal."}},
	} {
		resp, body := get(t, base, c.path, c.acceptLanguage, c.cookie)
		if !strings.Contains(body, `<html lang="`+c.lang+`">`) || resp.Header.Get("Content-Language") != c.lang {
			t.Errorf("%s (%q, %v): not in %s:\n%.200s", c.path, c.acceptLanguage, c.cookie, c.lang, body)
		}
		for _, want := range c.says {
			if !strings.Contains(body, want) {
				t.Errorf("%s in %s lacks %q", c.path, c.lang, want)
			}
		}
		if key := untranslated.FindString(strings.ReplaceAll(body, "/portal.css", "")); key != "" {
			t.Errorf("%s in %s shows the untranslated key %s", c.path, c.lang, key)
		}
	}
	resp, _ := get(t, base, "/portal/?lang=en", "lv", nil)
	var kept *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "vienreiz_lang" {
			kept = ck
		}
	}
	if kept == nil || kept.Value != "en" || kept.MaxAge <= 0 {
		t.Fatalf("the language switch keeps no choice: %v", resp.Cookies())
	}
	if _, body := get(t, base, "/portal/services/lv-ehic", "lv", kept); !strings.Contains(body, `<html lang="en">`) {
		t.Fatal("the chosen language is not kept on the next page")
	}
	if _, body := get(t, base, "/portal/?lang=xx", "", nil); !strings.Contains(body, `<html lang="lv">`) {
		t.Fatal("an unknown language is not ignored")
	}
}

// TestPortalOffersTheCountriesThatHoldTheEvidence: each piece of evidence
// a service needs gets its own choice of country, listing only the member
// states where the EU Evidence Broker knows it, as the app's country
// choice does. Found by trying the portal as a citizen: it offered every
// country for every piece of evidence, so "Proof of social security
// contributions" from Finland made a code whose request failed at once
// with EB:ERR:0001. A country outside the list, sent by hand, makes no
// code and says where the evidence can be asked for.
func TestPortalOffersTheCountriesThatHoldTheEvidence(t *testing.T) {
	const contributions = "https://sr.oots.tech.europa.eu/requirements/fc6cedff-8d00-5c37-9411-af37e2d4519d"
	base := startService(t, t.TempDir())
	_, body := get(t, base, "/portal/services/lv-pension-claim", "en", nil)
	forms := regexp.MustCompile(`(?s)<form method="post" action="/portal/services/lv-pension-claim/continue">.*?</form>`).FindAllString(body, -1)
	if len(forms) != 2 {
		t.Fatalf("%d forms for the pension's two pieces of evidence:\n%s", len(forms), body)
	}
	for _, form := range forms {
		if strings.Contains(form, contributions) {
			if !strings.Contains(form, ">Latvia<") || !strings.Contains(form, ">Lithuania<") || strings.Contains(form, ">Finland<") {
				t.Errorf("the contributions' countries (Latvia and Lithuania only):\n%s", form)
			}
		}
		if strings.Contains(form, "about the company") {
			t.Errorf("a citizen's pension evidence is said to be about a company:\n%s", form)
		}
	}
	// An employer's contributions are the company's: the app asks for them
	// acting for it (found in the app: asked for oneself, the provider did
	// not know the person).
	_, body = get(t, base, "/portal/services/lv-employer-registration", "en", nil)
	if n := strings.Count(body, "This evidence is about the company that applies"); n != 2 {
		t.Errorf("the employer's two pieces of evidence: %d say they are about the company:\n%s", n, body)
	}

	post := func(country string) (int, string) {
		form := url.Values{"evidence": {contributions}, "country": {country}}
		req, _ := http.NewRequest("POST", base+"/portal/services/lv-pension-claim/continue", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", "en")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, page := post("FI")
	if status != http.StatusBadRequest || strings.Contains(page, `id="qr"`) ||
		!strings.Contains(page, "Proof of social security contributions cannot be asked for in Finland") || !strings.Contains(page, "Latvia, Lithuania") {
		t.Fatalf("Finland, sent by hand: %d\n%s", status, page)
	}
	if status, page := post("LT"); status != http.StatusOK || !strings.Contains(page, `id="qr"`) {
		t.Fatalf("Lithuania: %d\n%.300s", status, page)
	}
}
