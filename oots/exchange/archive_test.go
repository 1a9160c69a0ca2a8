package exchange_test

import (
	"net/http"
	"testing"

	"github.com/vienreiz/vienreiz/api"
)

// TestFailedRequestCanBeArchived (issue 15 defect 5): failed requests
// piled up with no way to put them away. The owner archives an ended
// request: it is kept, marked and its timeline says so; an open request
// is refused, and nobody else can archive it.
func TestFailedRequestCanBeArchived(t *testing.T) {
	base := requestServer(t)
	var failed, open api.Request
	// Finland holds no social-security contributions: EB:ERR:0001 at once.
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-pension-claim", Requirement: socialSecurity(t, base), Country: "FI"}, &failed)
	if failed.State != "failed" {
		t.Fatalf("the Finnish request is %s, want failed", failed.State)
	}
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &open)
	if code := call(t, base, ievaToken, "POST", "/v1/requests/"+failed.ID+"/archive", nil, nil); code != http.StatusNotFound {
		t.Fatalf("another person archives it: %d, want 404", code)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+open.ID+"/archive", nil, nil); code != http.StatusConflict {
		t.Fatalf("archiving an open request: %d, want 409", code)
	}
	var r api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+failed.ID+"/archive", nil, &r); code != http.StatusOK || !r.Archived || r.State != "failed" || r.Timeline[len(r.Timeline)-1].Event != "archived" {
		t.Fatalf("archive: %d %+v", code, r)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+failed.ID+"/archive", nil, &r); code != http.StatusOK {
		t.Fatalf("archiving again: %d, want 200 (nothing changes)", code)
	}
	var list api.RequestList
	call(t, base, janisToken, "GET", "/v1/requests", nil, &list)
	for _, l := range list.Requests {
		if (l.ID == failed.ID) != l.Archived {
			t.Fatalf("list marks %s archived=%v", l.ID, l.Archived)
		}
	}
}

// socialSecurity is the pension claim's requirement of social-security
// contributions (its first evidence).
func socialSecurity(t *testing.T, base string) string {
	t.Helper()
	var svc struct {
		Evidence []struct{ Requirement string } `json:"evidence"`
	}
	if code := call(t, base, "", "GET", "/v1/services/lv-pension-claim", nil, &svc); code != http.StatusOK || len(svc.Evidence) == 0 {
		t.Fatalf("the pension claim: %d", code)
	}
	return svc.Evidence[0].Requirement
}
