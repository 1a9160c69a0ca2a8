package provider

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestResentRequestGetsTheSamePreview: a requester that crashed after
// sending sends the same first request (same ExchangeId) again, as a new
// AS4 message. The provider answers with the same PreviewLocation and
// keeps one preview, not an orphan per attempt.
func TestResentRequestGetsTheSamePreview(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	first := exception(t, a).Exception.PreviewLocation
	for range 3 {
		a, _ = w.ask(req, edm.V1)
		if loc := exception(t, a).Exception.PreviewLocation; loc != first {
			t.Fatalf("re-sent request got PreviewLocation %q, want %q", loc, first)
		}
	}
	if n, err := w.prov.store.count(context.Background()); err != nil || n != 1 {
		t.Fatalf("%d previews stored (%v), want 1", n, err)
	}
	// Another exchange of the same person gets its own preview.
	other := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ = w.ask(other, edm.V1)
	if loc := exception(t, a).Exception.PreviewLocation; loc == first {
		t.Fatal("another exchange got the same preview")
	}
}

// TestPreviewMayBeFetchedAgainUntilDecided: the requester that lost the
// answer of the view (it crashed before storing it) fetches it again and
// gets the same evidence, until the decision or the expiry.
func TestPreviewMayBeFetchedAgainUntilDecided(t *testing.T) {
	w := newWorld(t)
	a, _ := w.ask(w.request(w.offer("LV", "birth"), "application/pdf"), edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	var v1, v2 View
	if code := w.post(loc+"/view", input{Subject: "LV/LV/12345612345"}, &v1); code != http.StatusOK {
		t.Fatalf("first view: %d", code)
	}
	if code := w.post(loc+"/view", input{Subject: "LV/LV/12345612345"}, &v2); code != http.StatusOK {
		t.Fatalf("second view: %d", code)
	}
	if len(v2.Fields) == 0 || v1.Fields[0] != v2.Fields[0] || v1.DecisionURL != v2.DecisionURL {
		t.Fatalf("second view differs: %+v vs %+v", v2, v1)
	}
	if code := w.post(loc+"/view", input{Subject: "LV/LV/00000000000"}, nil); code != http.StatusForbidden {
		t.Fatalf("another person's second view: %d", code)
	}
	var d Decided
	if code := w.post(absolute(loc, v1.DecisionURL), input{Subject: "LV/LV/12345612345", Decision: DecisionApprove}, &d); code != http.StatusOK {
		t.Fatalf("decision: %d", code)
	}
	if code := w.post(loc+"/view", input{Subject: "LV/LV/12345612345"}, nil); code != http.StatusConflict {
		t.Fatalf("view after the decision: %d, want 409", code)
	}
}

// TestConcurrentSameDecisionsAllSucceed: the requester sends the same
// decision several times at once (two taps on two devices; the kill -9
// loop's citizens did). Each call gets 200 and the same state; one was
// the decision, the others repeats. Before, all but one got 409 "This
// preview was already decided".
func TestConcurrentSameDecisionsAllSucceed(t *testing.T) {
	w := newWorld(t)
	a, _ := w.ask(w.request(w.offer("LV", "birth"), "application/pdf"), edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	var v View
	if code := w.post(loc+"/view", input{Subject: "LV/LV/12345612345"}, &v); code != http.StatusOK {
		t.Fatalf("view: %d", code)
	}
	const n = 8
	codes, states := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var d Decided
			codes[i] = w.post(absolute(loc, v.DecisionURL), input{Subject: "LV/LV/12345612345", Decision: DecisionApprove}, &d)
			states[i] = d.State
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != http.StatusOK || states[i] != stateApproved {
			t.Fatalf("call %d: %d %q; all: %v %v", i, codes[i], states[i], codes, states)
		}
	}
	var d Decided
	if code := w.post(absolute(loc, v.DecisionURL), input{Subject: "LV/LV/12345612345", Decision: DecisionRefuse}, &d); code != http.StatusConflict {
		t.Fatalf("the other decision afterwards: %d, want 409", code)
	}
}
