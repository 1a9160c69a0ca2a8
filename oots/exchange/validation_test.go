package exchange_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// validationServer serves janis, ieva and a clerk.
func validationServer(t *testing.T) string {
	tokens := exchange.BearerTokens{clerkToken: exchange.DemoClerk()}
	for k, v := range people {
		tokens[k] = v
	}
	return start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
}

// raw posts body with content type as token and returns the status.
func raw(t *testing.T, base, token, path, ctype string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestStatusMessageOneRuleWithTheLedger: a status message may hold line
// breaks; other control characters, and more bytes than the ledger's
// field limit, get 400 (not 500), and nothing is stored.
func TestStatusMessageOneRuleWithTheLedger(t *testing.T) {
	base := validationServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	for _, tc := range []struct {
		name, msg string
		status    int
	}{
		{"line breaks", "Received.\nWe will check it within a week.", 200},
		{"exactly the limit", strings.Repeat("a", 1024), 200},
		{"tab", "Received\tok", 400},
		{"NUL", "a\x00b", 400},
		{"escape", "a\x1b[31mred", 400},
		{"513 × ā (1,026 bytes)", strings.Repeat("ā", 513), 400},
		{"only spaces", "   ", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e api.ErrorBody
			if code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: tc.msg}, &e); code != tc.status {
				t.Fatalf("status %d %+v, want %d", code, e, tc.status)
			}
		})
	}
	var after api.Request
	call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &after)
	posted := 0
	for _, s := range after.Timeline {
		if s.Event == "status_posted" {
			posted++
		}
	}
	if posted != 2 {
		t.Fatalf("%d status messages stored, want the 2 accepted", posted)
	}
}

// TestBodiesMustBeJSONInValidUTF8: a text/plain or unlabelled body gets
// 415, invalid UTF-8 400, a country outside the catalogue 400.
func TestBodiesMustBeJSONInValidUTF8(t *testing.T) {
	base := validationServer(t)
	good, _ := json.Marshal(api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	for _, tc := range []struct {
		name, ctype string
		body        []byte
		status      int
	}{
		{"JSON", "application/json", good, 201},
		{"JSON with charset", "application/json; charset=utf-8", good, 201},
		{"text/plain", "text/plain", good, 415},
		{"no content type", "", good, 415},
		{"invalid UTF-8", "application/json", bytes.Replace(good, []byte("lv-birth"), []byte("lv-b\xffrth"), 1), 400},
		{"country XX", "application/json", bytes.Replace(good, []byte(`"LV"`), []byte(`"XX"`), 1), 400},
		{"country SK (not in the catalogue)", "application/json", bytes.Replace(good, []byte(`"LV"`), []byte(`"SK"`), 1), 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := raw(t, base, janisToken, "/v1/requests", tc.ctype, tc.body); code != tc.status && !(tc.status == 201 && code == 200) {
				t.Fatalf("status %d, want %d", code, tc.status)
			}
		})
	}
}

// TestAttributeAnswersBounded: an answer of 60 kB, with control
// characters, or to a question not asked gets 400 and changes nothing.
func TestAttributeAnswersBounded(t *testing.T) {
	base := validationServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "de-vehicle-registration", Requirement: proofOfResidence, Country: "DE"}, &r)
	if r.State != "needs_attributes" {
		t.Fatalf("state %s", r.State)
	}
	q := r.Questions[0].Name
	for name, values := range map[string]map[string]string{
		"60 kB":              {q: strings.Repeat("x", 60_000)},
		"control characters": {q: "DE\x076"},
		"unknown question":   {q: "DE6", "admin": "yes"},
	} {
		var e api.ErrorBody
		if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: values}, &e); code != 400 {
			t.Errorf("%s: %d %+v", name, code, e)
		}
	}
	var after api.Request
	call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &after)
	if after.State != "needs_attributes" || len(after.Answers) != 0 {
		t.Fatalf("after refused answers: %s %v", after.State, after.Answers)
	}
}

// TestProviderErrorIsTheServicesLedgerLine: a failed look-up is recorded
// with the service as the actor, on behalf of the citizen.
func TestProviderErrorIsTheServicesLedgerLine(t *testing.T) {
	base := validationServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "de-vehicle-registration", Requirement: proofOfResidence, Country: "DE"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{r.Questions[0].Name: "DEF"}}, &r)
	if r.State != "failed" {
		t.Fatalf("a Land without a provider: %s (want failed)", r.State)
	}
	found := 0
	for _, e := range ledgerEntries(t, base, janisToken) {
		if e.Action == "provider_error" {
			found++
			if e.Actor != "service" || e.OnBehalfOf != people[janisToken].Subject {
				t.Fatalf("provider_error by %s for %s, want by service", e.Actor, e.OnBehalfOf)
			}
		}
	}
	if found != 1 {
		t.Fatalf("%d provider_error ledger lines, want 1", found)
	}
}

type ledgerLine struct {
	Action     string `json:"action"`
	Actor      string `json:"actor"`
	OnBehalfOf string `json:"on_behalf_of"`
	RequestID  string `json:"request_id"`
}

func ledgerEntries(t *testing.T, base, token string) []ledgerLine {
	t.Helper()
	var x struct {
		Entries []ledgerLine `json:"entries"`
	}
	if code := call(t, base, token, "GET", "/v1/ledger?format=json", nil, &x); code != 200 {
		t.Fatalf("ledger export: %d", code)
	}
	return x.Entries
}

// TestOneLedgerLinePerDownload: a GET is a download; a HEAD, a 304 and a
// later range of the same download are not.
func TestOneLedgerLinePerDownload(t *testing.T) {
	base := validationServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	waitState(t, base, janisToken, r.ID, "preview_required")
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview", nil, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/decision", api.Decision{Decision: "approve"}, &r)
	r = waitState(t, base, janisToken, r.ID, "delivered")
	etag := `"` + r.Evidence[0].SHA256 + `"`
	for _, tc := range []struct {
		method string
		header map[string]string
		status int
	}{
		{"GET", nil, 200},
		{"HEAD", nil, 200},
		{"GET", map[string]string{"If-None-Match": etag}, 304},
		{"GET", map[string]string{"Range": "bytes=10-"}, 206},
	} {
		req, _ := http.NewRequest(tc.method, base+"/v1/requests/"+r.ID+"/evidence/0", nil)
		req.Header.Set("Authorization", "Bearer "+janisToken)
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Fatalf("%s %v: %d, want %d", tc.method, tc.header, resp.StatusCode, tc.status)
		}
	}
	n := 0
	for _, e := range ledgerEntries(t, base, janisToken) {
		if e.Action == "evidence_downloaded" && e.RequestID == r.ID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d evidence_downloaded ledger lines, want 1", n)
	}
}

// TestRegionQuestionOffersTheNUTSCodes (issue 12 item 7): the directory
// asks for the Land; the question lists the NUTS1 regions of Germany with
// their names from the official NUTS code list, so free text such as
// "Berlin" is refused with the valid values instead of failing the
// request for good with DSD:ERR:0006.
func TestRegionQuestionOffersTheNUTSCodes(t *testing.T) {
	base := validationServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "de-vehicle-registration", Requirement: proofOfResidence, Country: "DE"}, &r)
	q := r.Questions[0]
	if len(q.Values) != 16 || q.Labels["DE3"] != "BERLIN" || q.Labels["DE6"] != "HAMBURG" {
		t.Fatalf("question %s: %d values %v, labels DE3=%q", q.Name, len(q.Values), q.Values, q.Labels["DE3"])
	}
	var e api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{q.Name: "Berlin"}}, &e); code != 400 || !strings.Contains(e.Error.Message, "DE3") {
		t.Fatalf("free text: %d %+v; want 400 naming the valid codes", code, e)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{q.Name: "DE3"}}, &r)
	if r.State != "ready" || r.Provider == nil {
		t.Fatalf("after DE3: %s %+v", r.State, r.Provider)
	}
}
