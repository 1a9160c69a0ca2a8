package provider

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestPreviewSpaceRefusals: what the preview space refuses, each with its
// status, and the preview stays usable for the right person.
func TestPreviewSpaceRefusals(t *testing.T) {
	w := newWorld(t)
	a, _ := w.ask(w.request(w.offer("LV", "birth"), "application/pdf"), edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	c := w.client()
	for _, tc := range []struct {
		name, method, url, ctype, body string
		status                         int
	}{
		{"attack: another person's identifier", "POST", loc + "/view", "application/x-www-form-urlencoded", "subject=LV%2FLV%2F00000000000", http.StatusForbidden},
		{"attack: guessed token", "POST", w.preview.URL + "/preview/" + strings.Repeat("B", 43) + "/view", "application/json", `{"subject":"LV/LV/12345612345"}`, http.StatusNotFound},
		{"attack: malformed token", "GET", w.preview.URL + "/preview/..%2f..%2fetc", "", "", http.StatusNotFound},
		{"attack: unknown JSON field", "POST", loc + "/view", "application/json", `{"subject":"LV/LV/12345612345","admin":true}`, http.StatusBadRequest},
		{"attack: repeated form field", "POST", loc + "/view", "application/x-www-form-urlencoded", "subject=a&subject=LV%2FLV%2F12345612345", http.StatusBadRequest},
		{"attack: oversize body", "POST", loc + "/view", "application/x-www-form-urlencoded", "subject=" + strings.Repeat("x", 5000), http.StatusBadRequest},
		{"attack: control characters", "POST", loc + "/view", "application/json", `{"subject":"LV/LV/1\u0000"}`, http.StatusBadRequest},
		{"text/plain body", "POST", loc + "/view", "text/plain", "LV/LV/12345612345", http.StatusBadRequest},
		{"decision on view", "POST", loc + "/view", "application/json", `{"subject":"LV/LV/12345612345","decision":"approve"}`, http.StatusBadRequest},
		{"bad decision", "POST", loc + "/decision", "application/json", `{"subject":"LV/LV/12345612345","decision":"maybe"}`, http.StatusBadRequest},
		{"decision before view", "POST", loc + "/decision", "application/json", `{"subject":"LV/LV/12345612345","decision":"approve"}`, http.StatusConflict},
		{"wrong method", "DELETE", loc, "", "", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d %q, want %d", resp.StatusCode, body, tc.status)
			}
			if strings.Contains(body, "Bērziņa") {
				t.Fatalf("refusal shows evidence: %q", body)
			}
		})
	}

	// The HTML flow with forms still works for the right person, and the
	// hidden identifier is escaped.
	resp, err := c.PostForm(loc+"/view", url.Values{"subject": {"LV/LV/12345612345"}})
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Bērziņa") || !strings.Contains(page, `value="approve"`) {
		t.Fatalf("HTML view: %d %q", resp.StatusCode, page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("security headers: CSP %q, Cache-Control %q", csp, resp.Header.Get("Cache-Control"))
	}
	resp, err = c.PostForm(loc+"/decision", url.Values{"subject": {"LV/LV/12345612345"}, "decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	if page := readAll(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Approved") {
		t.Fatalf("HTML decision: %d %q", resp.StatusCode, page)
	}
	// The same decision again (the requester crashed before it recorded
	// the answer) gets the same answer; the other decision is refused.
	for decision, want := range map[string]int{"approve": http.StatusOK, "refuse": http.StatusConflict} {
		resp, err = c.PostForm(loc+"/decision", url.Values{"subject": {"LV/LV/12345612345"}, "decision": {decision}})
		if err != nil {
			t.Fatal(err)
		}
		if page := readAll(t, resp); resp.StatusCode != want {
			t.Fatalf("%s after approve: %d %q, want %d", decision, resp.StatusCode, page, want)
		}
	}
	// The sign-in page of a used preview says so.
	resp, err = c.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	if page := readAll(t, resp); resp.StatusCode != http.StatusGone {
		t.Fatalf("sign-in after use: %d %q, want 410", resp.StatusCode, page)
	}
}

// TestParseInput covers the accepted shapes of preview space input.
func TestParseInput(t *testing.T) {
	for _, tc := range []struct {
		name, ctype, body string
		decision          bool
		want              input
		ok                bool
	}{
		{"form view", "application/x-www-form-urlencoded", "subject=LV%2FDE%2F1", false, input{Subject: "LV/DE/1"}, true},
		{"json decision", "application/json; charset=utf-8", `{"subject":" LV/DE/1 ","decision":"refuse"}`, true, input{Subject: "LV/DE/1", Decision: "refuse"}, true},
		{"json trailing data", "application/json", `{"subject":"a"}{"subject":"b"}`, false, input{}, false},
		{"json not object", "application/json", `["a"]`, false, input{}, false},
		{"empty subject", "application/json", `{"subject":"  "}`, false, input{}, false},
		{"long subject", "application/json", `{"subject":"` + strings.Repeat("a", 257) + `"}`, false, input{}, false},
		{"invalid utf-8", "application/x-www-form-urlencoded", "subject=%ff%fe", false, input{}, false},
		{"bad form escape", "application/x-www-form-urlencoded", "subject=%zz", false, input{}, false},
		{"no content type", "", "subject=a", false, input{}, false},
		{"missing decision", "application/json", `{"subject":"a"}`, true, input{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseInput(tc.ctype, []byte(tc.body), tc.decision)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if tc.ok && got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestPreviewSpaceSendsTheBrowserBackToTheReturnURL: the OOTS browser
// flow. The requester sends the citizen to the PreviewLocation with its
// return URL in the returnurl parameter; the pages carry it through
// sign-in and view, the view page's policy lets its forms lead there, and
// the decision sends the browser back with 303. A return URL that is no
// absolute http(s) URL is refused before anything is shown.
func TestPreviewSpaceSendsTheBrowserBackToTheReturnURL(t *testing.T) {
	w := newWorld(t)
	a, _ := w.ask(w.request(w.offer("LV", "birth"), "application/pdf"), edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	c := w.client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	back := "https://vienreiz.example.lv/open/requests/r-1?x=1&y=2"
	withReturn := loc + "?returnurl=" + url.QueryEscape(back)

	for _, bad := range []string{"javascript:alert(1)", "/relative", "ftp://example.lv/x", "https://user:pw@example.lv/", "https://example.lv/" + strings.Repeat("a", 2100)} {
		resp, err := c.Get(loc + "?returnurl=" + url.QueryEscape(bad))
		if err != nil {
			t.Fatal(err)
		}
		if page := readAll(t, resp); resp.StatusCode != http.StatusBadRequest || strings.Contains(page, "<form") {
			t.Fatalf("return URL %.40q: %d %q, want 400 and no form", bad, resp.StatusCode, page)
		}
	}

	resp, err := c.Get(withReturn)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	action := formAction(t, page)
	if resp.StatusCode != http.StatusOK || !strings.HasSuffix(action, "/view?returnurl="+url.QueryEscape(back)) {
		t.Fatalf("sign-in page: %d, form action %q", resp.StatusCode, action)
	}
	resp, err = c.PostForm(absolute(loc, "")+action, url.Values{"subject": {"LV/LV/12345612345"}})
	if err != nil {
		t.Fatal(err)
	}
	page = readAll(t, resp)
	action = formAction(t, page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Bērziņa") || !strings.HasSuffix(action, "/decision?returnurl="+url.QueryEscape(back)) {
		t.Fatalf("view page: %d, form action %q", resp.StatusCode, action)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://vienreiz.example.lv;") {
		t.Fatalf("view page policy %q does not let its form lead back to the requester", csp)
	}
	resp, err = c.PostForm(absolute(loc, "")+action, url.Values{"subject": {"LV/LV/12345612345"}, "decision": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != back {
		t.Fatalf("decision: %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), back)
	}
}

// formAction is the action of the page's (first) form, unescaped.
func formAction(t *testing.T, page string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `<form method="post" action="`)
	if !ok {
		t.Fatalf("no form in %q", page)
	}
	action, _, _ := strings.Cut(rest, `"`)
	return html.UnescapeString(action)
}
