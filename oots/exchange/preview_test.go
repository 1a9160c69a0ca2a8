package exchange_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/vienreiz/vienreiz/api"
)

// TestConcurrentPreviewCallsGetOneAnswer: the citizen's app opens the
// preview twice at once (two taps, two devices). Both calls get the same
// preview, the timeline has one preview_viewed, and the request moves on.
func TestConcurrentPreviewCallsGetOneAnswer(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	waitState(t, base, janisToken, r.ID, "preview_required")
	const n = 4
	got := make([]api.Request, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview", nil, &got[i])
		}()
	}
	wg.Wait()
	for i := range n {
		if codes[i] != http.StatusOK || got[i].Preview == nil || len(got[i].Preview.Fields) == 0 {
			t.Fatalf("call %d: %d %+v", i, codes[i], got[i].Preview)
		}
		if got[i].Preview.Fields[0] != got[0].Preview.Fields[0] {
			t.Fatalf("call %d saw another preview: %+v", i, got[i].Preview.Fields[0])
		}
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/decision", api.Decision{Decision: "approve"}, &r)
	r = waitState(t, base, janisToken, r.ID, "delivered")
	viewed := 0
	for _, s := range r.Timeline {
		if s.Event == "preview_viewed" {
			viewed++
		}
	}
	if viewed != 1 {
		t.Fatalf("%d × preview_viewed on the timeline: %s", viewed, events(r))
	}
}
