package exchange_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// waitState polls the request until it reaches state or fails the test.
func waitState(t *testing.T, base, token, id, state string) api.Request {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var r api.Request
	for time.Now().Before(deadline) {
		call(t, base, token, "GET", "/v1/requests/"+id, nil, &r)
		if r.State == state {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("request %s is %s (%s), not %s, after 20 s; timeline %s", id, r.State, r.Problem, state, events(r))
	return r
}

// TestFullExchangeOverAS4 follows one evidence request through the whole
// OOTS flow against the embedded demo member state, over real AS4 on
// loopback: look-up, explicit request, QueryRequest, preview required,
// preview field by field, approval, second QueryRequest with the
// PreviewLocation, evidence delivered and downloaded.
func TestFullExchangeOverAS4(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	if r.State != "ready" {
		t.Fatalf("after look-up: %s %s", r.State, r.Problem)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	r = waitState(t, base, janisToken, r.ID, "preview_required")
	if r.PreviewLocation == "" {
		t.Fatal("no preview location")
	}
	var e api.ErrorBody
	if code := call(t, base, ievaToken, "POST", "/v1/requests/"+r.ID+"/preview", nil, &e); code != 404 {
		t.Fatalf("another person opening the preview: %d", code)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/decision", api.Decision{Decision: "approve"}, &e); code != 400 {
		t.Fatalf("deciding before seeing the preview: %d %+v", code, e)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview", nil, &r)
	if r.Preview == nil || len(r.Preview.Fields) == 0 || r.Preview.Fields[0].Name == "" {
		t.Fatalf("preview: %+v", r.Preview)
	}
	if code := call(t, base, janisToken, "GET", "/v1/requests/"+r.ID+"/evidence/0", nil, nil); code != 404 {
		t.Fatalf("evidence before approval: %d", code)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/decision", api.Decision{Decision: "approve"}, &r)
	r = waitState(t, base, janisToken, r.ID, "delivered")
	if len(r.Evidence) == 0 || r.DecisionBy == nil {
		t.Fatalf("delivered without evidence or decision date: %+v", r)
	}
	req, _ := http.NewRequest("GET", base+"/v1/requests/"+r.ID+"/evidence/0", nil)
	req.Header.Set("Authorization", "Bearer "+janisToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || fmt.Sprintf("%x", sha256.Sum256(body)) != r.Evidence[0].SHA256 {
		t.Fatalf("download: %d, %d bytes, sha256 mismatch", resp.StatusCode, len(body))
	}
	want := "created,provider_found,explicit_request_given,query_sent,preview_requested,preview_viewed,preview_approved,query_sent,evidence_delivered,offered"
	if events(r) != want {
		t.Fatalf("timeline\n got %s\nwant %s", events(r), want)
	}
	// Stored with the delivery: the other services the birth record serves.
	if offer := r.Timeline[len(r.Timeline)-1]; offer.Detail != "lv-university-admission,lv-pension-claim" || offer.State != "delivered" {
		t.Fatalf("offer %+v; want the university admission and the pension claim", offer)
	}
	// The wallet's list: the owner's document, nobody else's.
	var mine, theirs api.DocumentList
	call(t, base, janisToken, "GET", "/v1/evidence", nil, &mine)
	if mine.Count != 1 || mine.Documents[0].RequestID != r.ID || mine.Documents[0].File != r.Evidence[0] || mine.Documents[0].Provider == "" || mine.Documents[0].ProviderNames["LV"] == "" || mine.Documents[0].DeliveredAt.IsZero() {
		t.Fatalf("GET /v1/evidence: %+v", mine)
	}
	if call(t, base, ievaToken, "GET", "/v1/evidence", nil, &theirs); theirs.Count != 0 {
		t.Fatalf("another citizen's evidence list shows %+v", theirs.Documents)
	}
}

// TestRefusedPreviewEndsTheRequest: the citizen refuses; no evidence
// reaches the requester.
func TestRefusedPreviewEndsTheRequest(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	waitState(t, base, janisToken, r.ID, "preview_required")
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview", nil, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/decision", api.Decision{Decision: "refuse"}, &r)
	r = waitState(t, base, janisToken, r.ID, "refused")
	if len(r.Evidence) != 0 {
		t.Fatalf("evidence after refusal: %+v", r.Evidence)
	}
}
