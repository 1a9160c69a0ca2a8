package exchange_test

import (
	"net/http"
	"testing"

	"github.com/vienreiz/vienreiz/api"
)

// TestARepeatedStartMakesOneRequest: found by trying the app with the
// network failing (the last session's note): Jānis tapped Start with the
// service not answering, stopped waiting and tapped Start again; once the
// service answered he had two requests for the same evidence. A POST that
// names the person's intent with a key (api.NewRequest.Key, which the app
// keeps until an answer arrives) makes the request once: repeated, it
// answers with the request the first one made. The same key is another
// person's own; a key reused for another request is refused. A repeat
// answers 200: it made nothing (TestEvidenceUnderWayIsAskedForOnce has
// POSTs without a key).
func TestARepeatedStartMakesOneRequest(t *testing.T) {
	base := requestServer(t)
	in := api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV", Key: "3f1c2a9e-start-7b"}
	var first, again, ievas api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", in, &first); code != http.StatusCreated {
		t.Fatalf("first POST: %d", code)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests", in, &again); code != http.StatusOK || again.ID != first.ID {
		t.Fatalf("the same POST again: %d, request %s, want 200 and the first one %s", code, again.ID, first.ID)
	}
	call(t, base, ievaToken, "POST", "/v1/requests", in, &ievas)
	if ievas.ID == "" || ievas.ID == first.ID {
		t.Fatalf("another person with the same key got request %q (Jānis's is %s)", ievas.ID, first.ID)
	}
	other := in
	other.Country = "EE"
	if code := call(t, base, janisToken, "POST", "/v1/requests", other, nil); code != http.StatusConflict {
		t.Fatalf("the key reused for another country: %d, want 409", code)
	}
	for _, bad := range []string{"short", "has spaces in it, far too", string(make([]byte, 80))} {
		k := in
		k.Key = bad
		if code := call(t, base, janisToken, "POST", "/v1/requests", k, nil); code != http.StatusBadRequest {
			t.Fatalf("key %q: %d, want 400", bad, code)
		}
	}
	// Eight POSTs of a new key at once (a client retrying while the first
	// is still on its way): one request.
	burst := in
	burst.ServiceID, burst.Key = "lv-university-admission", "burst-of-eight"
	postAtOnce(t, base, janisToken, burst, 8)
	var list api.RequestList
	call(t, base, janisToken, "GET", "/v1/requests", nil, &list)
	if list.Count != 2 {
		t.Fatalf("Jānis has %d requests, want 2 (two keys)", list.Count)
	}
}
