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

const (
	janisToken = "token-janis"
	ievaToken  = "token-ieva"
	reqBase    = "https://sr.oots.tech.europa.eu/requirements/"
	// The demo requirement ids of docs/demo-requirements.md.
	proofOfBirth     = reqBase + "0db2683a-c917-51d2-a0b3-08377a50bfba"
	proofOfResidence = reqBase + "ae2cfbb0-c834-5fb4-b1f4-381711fb5f63"
)

var people = exchange.BearerTokens{
	janisToken: {Subject: "LV/LV/01019012345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01"},
	ievaToken:  {Subject: "LV/LV/020285-54321", GivenName: "Ieva", FamilyName: "Kalniņa", DateOfBirth: "1985-02-02"},
}

// call sends method path with body as token's person and decodes the
// answer into out (when not nil); it returns the status code.
func call(t *testing.T, base, token, method, path string, body any, out any) int {
	t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func requestServer(t *testing.T) string {
	return start(t, exchange.Config{DataDir: t.TempDir(), Auth: people}).URL()
}

func events(r api.Request) string {
	var e []string
	for _, s := range r.Timeline {
		e = append(e, s.Event)
	}
	return strings.Join(e, ",")
}

func TestRequestLooksUpProviderAndRecordsExplicitRequest(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	code := call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	if code != http.StatusCreated || r.State != "ready" || r.Provider == nil || r.EvidenceType == nil {
		t.Fatalf("create: %d %+v", code, r)
	}
	if events(r) != "created,provider_found" || r.ExpectedBy == nil {
		t.Fatalf("timeline %s, expected by %v", events(r), r.ExpectedBy)
	}
	if !strings.Contains(r.Provider.PartyID, "demo-lv") || r.Provider.EDMVersion == "" {
		t.Fatalf("provider %+v", r.Provider)
	}

	var after api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &after); code != http.StatusOK {
		t.Fatalf("explicit request: %d %+v", code, after)
	}
	if !strings.Contains(events(after), "explicit_request_given") {
		t.Fatalf("timeline after the explicit request: %s", events(after))
	}
	var again api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &again); code != http.StatusConflict {
		t.Fatalf("a second explicit request: %d %+v, want 409", code, again)
	}

	var list api.RequestList
	if code := call(t, base, janisToken, "GET", "/v1/requests", nil, &list); code != 200 || list.Count != 1 || list.Requests[0].ID != r.ID {
		t.Fatalf("list: %d %+v", code, list)
	}
}

// The answer to a create shows the timeline as stored (it is built from
// what was stored, not read back): the same steps, to the microsecond, as
// reading the request later.
func TestCreatedRequestShowsItsStoredTimeline(t *testing.T) {
	base := requestServer(t)
	var created, read api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &created); code != http.StatusCreated {
		t.Fatalf("create: %d %+v", code, created)
	}
	if code := call(t, base, janisToken, "GET", "/v1/requests/"+created.ID, nil, &read); code != http.StatusOK {
		t.Fatalf("read: %d %+v", code, read)
	}
	got, _ := json.Marshal(created.Timeline)
	want, _ := json.Marshal(read.Timeline)
	if len(created.Timeline) < 2 || !bytes.Equal(got, want) {
		t.Fatalf("created with timeline\n%s\nread back\n%s", got, want)
	}
	if created.State != read.State || !created.UpdatedAt.Equal(read.UpdatedAt) {
		t.Fatalf("created %s at %v, read %s at %v", created.State, created.UpdatedAt, read.State, read.UpdatedAt)
	}
}

func TestRequestAsksForAttributesTheDirectoryNeeds(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "de-vehicle-registration", Requirement: proofOfResidence, Country: "DE"}, &r)
	if r.State != "needs_attributes" || len(r.Questions) != 1 || r.Questions[0].Name != "jurisdiction-admin-l2" {
		t.Fatalf("DE residence: %s, questions %+v", r.State, r.Questions)
	}
	// The question in every language the directory gives, for the app to
	// show the user's where it can.
	if d := r.Questions[0].Descriptions; d["DE"] == "" || d["EN"] != r.Questions[0].Description {
		t.Fatalf("DE residence question's languages: %+v", d)
	}
	var bad api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{}}, &bad); code != 400 {
		t.Fatalf("no answer: %d %+v", code, bad)
	}
	var after api.Request
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{"jurisdiction-admin-l2": "DE6"}}, &after)
	if after.State != "ready" || after.Provider == nil || !strings.Contains(after.Provider.PartyID, "demo-de") {
		t.Fatalf("after giving the Land: %s %+v", after.State, after.Provider)
	}
}

func TestRequestsAreOnlyTheirOwnersAndBadInputChangesNothing(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)

	tries := []struct {
		name, token, method, path string
		body                      any
		status                    int
	}{
		{"another person reads it", ievaToken, "GET", "/v1/requests/" + r.ID, nil, 404},
		{"another person cancels it", ievaToken, "POST", "/v1/requests/" + r.ID + "/cancel", nil, 404},
		{"another person gives the explicit request", ievaToken, "POST", "/v1/requests/" + r.ID + "/explicit-request", nil, 404},
		{"no token", "", "GET", "/v1/requests", nil, 401},
		{"wrong token", "forged", "GET", "/v1/requests/" + r.ID, nil, 401},
		{"malformed JSON", ievaToken, "POST", "/v1/requests", `{"service_id": `, 400},
		{"unknown field", ievaToken, "POST", "/v1/requests", `{"service_id":"lv-ehic","colour":"red"}`, 400},
		{"unknown service", ievaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "no-such", Requirement: proofOfBirth, Country: "LV"}, 400},
		{"requirement the service does not need", ievaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-ehic", Requirement: proofOfBirth, Country: "LV"}, 400},
		{"country not a code", ievaToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "Latvia"}, 400},
		{"oversize body", ievaToken, "POST", "/v1/requests", `{"service_id":"` + strings.Repeat("x", 70<<10) + `"}`, 400},
	}
	for _, tt := range tries {
		t.Run(tt.name, func(t *testing.T) {
			var e api.ErrorBody
			if code := call(t, base, tt.token, tt.method, tt.path, tt.body, &e); code != tt.status || e.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d with a message", code, e, tt.status)
			}
		})
	}
	var ieva api.RequestList
	call(t, base, ievaToken, "GET", "/v1/requests", nil, &ieva)
	if ieva.Count != 0 {
		t.Fatalf("rejected calls stored %d requests", ieva.Count)
	}
	var mine api.Request
	call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &mine)
	if mine.State != "ready" {
		t.Fatalf("the owner's request changed to %s", mine.State)
	}
	var cancelled api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/cancel", nil, &cancelled); code != 200 || cancelled.State != "cancelled" {
		t.Fatalf("cancel: %d %s", code, cancelled.State)
	}
	var e api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/cancel", nil, &e); code != 409 {
		t.Fatalf("cancelling twice: %d", code)
	}
}
