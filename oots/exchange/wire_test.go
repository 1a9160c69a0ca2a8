package exchange_test

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// wireLog keeps the EDM payloads the demo network's AS4 senders accepted.
type wireLog struct {
	mu   sync.Mutex
	docs []conformance.Doc
	v2   int
	errs []error
}

// capture is the wireLog of the running wire-capture test; nil otherwise.
// start gives every embedded demo network observeSend.
var capture atomic.Pointer[wireLog]

// observeSend is the AS4 senders' test hook (demonet.Embedded.ObserveSend).
func observeSend(sub *as4.Submission) {
	w := capture.Load()
	if w == nil {
		return
	}
	for _, p := range sub.Payloads {
		if p.MimeType != as4.MimeEbRS {
			continue
		}
		body, err := readPayload(p)
		w.mu.Lock()
		switch msg, perr := edm.Parse(body); {
		case err != nil:
			w.errs = append(w.errs, err)
		case perr != nil:
			w.errs = append(w.errs, fmt.Errorf("%s: %w", sub.Action, perr))
		case msg.SpecVersion().Major() == 1:
			w.docs = append(w.docs, conformance.Doc{Name: fmt.Sprintf("%02d-%s", len(w.docs), sub.Action), Data: body})
		default:
			w.v2++
		}
		w.mu.Unlock()
	}
}

func readPayload(p as4.Payload) ([]byte, error) {
	rc, err := p.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// TestWireCaptureExchange runs the exchange's own flow tests (evidence
// delivered after an approved preview, a refused preview, a German
// registration with the Land the directory asks for, a Finnish EDM v2.0
// pension record) against the
// embedded demo network and validates every v1.0 EDM payload either side's
// AS4 sender accepted, in one batch, with the official XSD and Schematron:
// 0 errors.
func TestWireCaptureExchange(t *testing.T) {
	w := &wireLog{}
	capture.Store(w)
	t.Cleanup(func() { capture.Store(nil) })
	t.Run("FullExchangeOverAS4", TestFullExchangeOverAS4)
	t.Run("RefusedPreviewEndsTheRequest", TestRefusedPreviewEndsTheRequest)
	t.Run("GermanRegistration", testGermanRegistration)
	t.Run("FinnishPension", testFinnishPension)
	capture.Store(nil)

	w.mu.Lock()
	docs, errs, v2 := w.docs, w.errs, w.v2
	w.mu.Unlock()
	for _, err := range errs {
		t.Errorf("wire capture: %v", err)
	}
	// Approved flows: QueryRequest, preview-required error, QueryRequest
	// with the PreviewLocation, evidence. Refused: the first two only.
	if len(docs) < 10 || v2 < 4 {
		t.Fatalf("captured %d v1.0 and %d v2.0 EDM messages; want ≥ 10 and 4", len(docs), v2)
	}
	n := 0
	for _, r := range spectest.Validate(t, docs...) {
		for _, f := range r.Errors() {
			n++
			t.Errorf("%s (%s): %v", r.Name, r.Kind, f)
		}
	}
	t.Logf("exchange wire capture: %d v1.0 EDM messages validated in one batch, %d errors; %d v2.0 messages (the demonode test compares those with the oots-france samples)", len(docs), n, v2)
}

// testGermanRegistration asks the German v1.0 provider, with the Land the
// directory asked for, and approves the preview.
func testGermanRegistration(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "de-vehicle-registration", Requirement: proofOfResidence, Country: "DE"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{"jurisdiction-admin-l2": "DE6"}}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	approvePreview(t, base, r.ID)
}

// approvePreview waits for the provider to ask for a preview, opens it,
// approves it and waits for the evidence.
func approvePreview(t *testing.T, base, id string) {
	waitState(t, base, janisToken, id, "preview_required")
	var e api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+id+"/preview", nil, &e); code != 200 {
		t.Fatalf("preview: %d %+v", code, e)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+id+"/preview/decision", api.Decision{Decision: "approve"}, nil)
	if r := waitState(t, base, janisToken, id, "delivered"); len(r.Evidence) == 0 {
		t.Fatalf("delivered without evidence: %+v", r)
	}
}

// testFinnishPension asks the Finnish provider, which speaks EDM v2.0 and
// which the demo directory gives only in its v2.0 answers, and approves
// the preview.
func testFinnishPension(t *testing.T) {
	base := requestServer(t)
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "fi-pension-information", Requirement: "https://sr.oots.tech.europa.eu/requirements/5afbaf85-fa74-5727-938c-4eb2f950007e", Country: "FI"}, &r)
	if r.State != "needs_attributes" || len(r.Questions) != 1 {
		t.Fatalf("FI pension after look-up: %s %s %+v", r.State, r.Problem, r.Questions)
	}
	q := r.Questions[0]
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{q.Name: q.Values[len(q.Values)-1]}}, &r)
	if r.State != "ready" || r.Provider == nil {
		t.Fatalf("FI pension after the pension scheme: %s %s", r.State, r.Problem)
	}
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	approvePreview(t, base, r.ID)
}
