package provider

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestPreviewApproveDeliver is the whole flow: request → preview required
// → approve in the preview space → request again → evidence delivered.
func TestPreviewApproveDeliver(t *testing.T) {
	w := newWorld(t)
	et := w.offer("LV", "birth")
	req := w.request(et, "application/xml")

	a, firstID := w.ask(req, edm.V1)
	x := exception(t, a)
	if !x.PreviewRequired() || x.Exception.Code != edm.CodePreviewRequired {
		t.Fatalf("first answer: code %s, location %q; want EDM:ERR:0002 with a location", x.Exception.Code, x.Exception.PreviewLocation)
	}
	// v1.0: the conversation is the exchange; no ExchangeId or SpecificationId property
	if a.msg.RefToMessageID != firstID || a.msg.ConversationID != req.ExchangeID || a.msg.Property(propExchangeID) != "" {
		t.Errorf("answer ties: ref %q conv %q exchange %q; want %q and %q", a.msg.RefToMessageID, a.msg.ConversationID, a.msg.Property(propExchangeID), firstID, req.ExchangeID)
	}
	if x.RequestID != req.ID || x.SpecVersion() != edm.V1 || a.msg.Property(propSpecificationID) != "" {
		t.Errorf("answer request id %q version %q; want %q %q", x.RequestID, x.SpecVersion(), req.ID, edm.V1)
	}
	if a.msg.Property(as4.PropFinalRecipient) != "LV90000011588" {
		t.Errorf("finalRecipient %q; want the request's originalSender", a.msg.Property(as4.PropFinalRecipient))
	}
	loc := x.Exception.PreviewLocation
	if !strings.HasPrefix(loc, w.preview.URL+"/preview/") {
		t.Fatalf("preview location %q is not on the preview space", loc)
	}

	// The sign-in page shows no evidence.
	resp, err := w.client().Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="subject"`) || strings.Contains(page, "Bērziņa") {
		t.Fatalf("sign-in page: status %d, body %q", resp.StatusCode, page)
	}

	// Deciding before looking is refused.
	if code := w.post(strings.TrimSuffix(loc, "/")+"/decision", input{Subject: "LV/LV/12345612345", Decision: DecisionApprove}, nil); code != http.StatusConflict {
		t.Fatalf("decision before view: status %d, want 409", code)
	}

	// Still no evidence before approval: the second request is told to preview.
	second := req.AfterPreview(loc, time.Now())
	a, _ = w.ask(second, edm.V1)
	if x := exception(t, a); !x.PreviewRequired() || x.Exception.PreviewLocation != loc {
		t.Fatalf("second request before approval: %s %q; want preview required at the same location", x.Exception.Code, x.Exception.PreviewLocation)
	}

	v := w.previewFlow(loc, "LV/LV/12345612345", DecisionApprove)
	if v.Title == "" || len(v.Fields) < 5 || v.Fields[1].Value != "Bērziņa" || v.Fields[0].Source == "" || v.Fields[0].LegalBasis == "" {
		t.Fatalf("view: %+v", v)
	}
	// Seen once: a second view is refused.
	if code := w.post(loc+"/view", input{Subject: "LV/LV/12345612345"}, nil); code != http.StatusConflict {
		t.Errorf("second view: status %d, want 409", code)
	}
	// A replayed approval changes nothing.
	var again map[string]string
	if code := w.post(absolute(loc, v.DecisionURL), input{Subject: "LV/LV/12345612345", Decision: DecisionRefuse}, &again); code != http.StatusConflict {
		t.Errorf("replayed decision: status %d, want 409", code)
	}

	third := req.AfterPreview(loc, time.Now())
	a, thirdID := w.ask(third, edm.V1)
	qr, ok := a.edm.(*edm.QueryResponse)
	if !ok || a.msg.Action != as4.ActionQueryResponse {
		t.Fatalf("after approval: %T %s, want a QueryResponse", a.edm, a.msg.Action)
	}
	if qr.RequestID != third.ID || a.msg.RefToMessageID != thirdID || a.msg.ConversationID != req.ExchangeID || len(qr.Evidence) != 1 {
		t.Fatalf("response ties: request %q ref %q conversation %q evidence %d", qr.RequestID, a.msg.RefToMessageID, a.msg.ConversationID, len(qr.Evidence))
	}
	ev := qr.Evidence[0]
	doc := a.parts[ev.Attachment.ContentID()]
	if doc == nil || a.mimeOf[ev.Attachment.ContentID()] != "application/xml" || ev.Metadata.Distribution.Format != "application/xml" {
		t.Fatalf("evidence attachment %q missing or of type %q (parts %v)", ev.Attachment.Href, a.mimeOf[ev.Attachment.ContentID()], mapKeys(a.parts))
	}
	for _, f := range v.Fields {
		if !bytes.Contains(doc, []byte(f.Value)) {
			t.Errorf("delivered document lacks the previewed value %q of %s", f.Value, f.Name)
		}
	}
	if ev.Metadata.NaturalPerson == nil || ev.Metadata.NaturalPerson.Identifier.Value != "LV/LV/12345612345" || ev.Metadata.IsConformantTo.Classification != et.Classification {
		t.Errorf("evidence metadata: %+v", ev.Metadata)
	}

	// Evidence goes out once: another request with the same location is refused.
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	if x := exception(t, a); x.Exception.Code != edm.CodeInvalidRequest {
		t.Errorf("request after delivery: %s, want EDM:ERR:0003", x.Exception.Code)
	}
}

// TestPreviewRefused: the citizen refuses; no evidence, EDM:ERR:0008.
func TestPreviewRefused(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	w.previewFlow(loc, "LV/LV/12345612345", DecisionRefuse)
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	x := exception(t, a)
	if x.Exception.Code != edm.CodeQueryException || x.Exception.Message != MessageRefused || x.Exception.PreviewLocation != loc {
		t.Fatalf("refused: %s %q %q", x.Exception.Code, x.Exception.Message, x.Exception.PreviewLocation)
	}
	if len(a.parts) != 1 {
		t.Errorf("refusal carries %d parts, want only the EDM message", len(a.parts))
	}
}

// TestPreviewExpired: the citizen did not decide in time.
func TestPreviewExpired(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	w.clock.Add(11 * time.Minute)
	var e map[string]string
	if code := w.post(loc+"/view", input{Subject: "LV/LV/12345612345"}, &e); code != http.StatusGone || e["error"] == "" {
		t.Fatalf("view after expiry: status %d %v, want 410 with a reason", code, e)
	}
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	x := exception(t, a)
	if x.Exception.Code != edm.CodeTimeout || x.Exception.Message != MessageExpired || x.Exception.PreviewLocation != loc {
		t.Fatalf("expired: %s %q %q", x.Exception.Code, x.Exception.Message, x.Exception.PreviewLocation)
	}
}

// TestApprovalSurvivesRestart: the provider restarts between approval and
// the second request and still delivers, once.
func TestApprovalSurvivesRestart(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	w.previewFlow(loc, "LV/LV/12345612345", DecisionApprove)
	if err := w.prov.Close(); err != nil {
		t.Fatal(err)
	}
	w.start()
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	qr, ok := a.edm.(*edm.QueryResponse)
	if !ok {
		t.Fatalf("after restart: %T, want a QueryResponse", a.edm)
	}
	pdf := a.parts[qr.Evidence[0].Attachment.ContentID()]
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !strings.Contains(pdfText(t, pdf), "Family name: Bērziņa") {
		t.Errorf("pdf evidence: %q", head(pdf))
	}
}

// TestReplayOnceAcrossListeners: the same AS4 message posted to the second
// listener after the first processed it is not answered again.
func TestReplayOnceAcrossListeners(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	exception(t, a)
	w.mu.Lock()
	body, ct := w.posted[len(w.posted)-1], w.postedCTs[len(w.postedCTs)-1]
	w.mu.Unlock()
	resp, err := http.Post(w.provSrv[1].URL+"/as4", ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(got, "Receipt") {
		t.Fatalf("replay on listener 2: status %d %q, want the stored receipt", resp.StatusCode, head([]byte(got)))
	}
	w.noMore(1500 * time.Millisecond)
	if n, err := w.prov.store.count(context.Background()); err != nil || n != 1 {
		t.Fatalf("previews after replay: %d (%v), want 1", n, err)
	}
}

// TestFailoverToSecondListener: listener 1 is down; the request arrives
// through listener 2 and is answered.
func TestFailoverToSecondListener(t *testing.T) {
	w := newWorld(t)
	w.provSrv[0].Close()
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	if x := exception(t, a); !x.PreviewRequired() {
		t.Fatalf("through listener 2: %s, want preview required", x.Exception.Code)
	}
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mapKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func head(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}

// TestAnswerSurvivesRestart: the requester's access points are down when
// the answer is due; the provider stops with the answer queued and sends
// it after the restart.
func TestAnswerSurvivesRestart(t *testing.T) {
	w := newWorld(t)
	w.reqDown.Store(true)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	body, err := req.Marshal(edm.V1)
	if err != nil {
		t.Fatal(err)
	}
	id := w.send(body, req.ExchangeID)
	time.Sleep(300 * time.Millisecond) // the first post of the answer fails
	if err := w.prov.Close(); err != nil {
		t.Fatal(err)
	}
	w.noMore(100 * time.Millisecond)
	w.reqDown.Store(false)
	w.start()
	a := w.next()
	if x := exception(t, a); !x.PreviewRequired() || a.msg.RefToMessageID != id {
		t.Fatalf("after restart: %s to %q, want preview required to %q", x.Exception.Code, a.msg.RefToMessageID, id)
	}
	w.noMore(500 * time.Millisecond)
}

// TestCompanyEvidenceByRepresentative: company evidence is previewed and
// approved by the authorised representative named in the request, not by
// the company identifier.
func TestCompanyEvidenceByRepresentative(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "enterprises"), "application/pdf")
	rep := req.NaturalPerson
	req.NaturalPerson = nil
	req.AuthorizedRepresentative = rep
	req.LegalPerson = &edm.LegalPerson{
		LevelOfAssurance: "High", LegalPersonIdentifier: edm.Identifier{Value: "LV/LV/40003245752", SchemeID: "eidas"},
		LegalName: "Vienreiz SIA",
	}
	a, _ := w.ask(req, edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	if code := w.post(loc+"/view", input{Subject: "LV/LV/40003245752"}, nil); code != http.StatusForbidden {
		t.Fatalf("view with the company identifier: %d, want 403 (the representative previews)", code)
	}
	v := w.previewFlow(loc, "LV/LV/12345612345", DecisionApprove)
	if v.Fields[1].Value != "Vienreiz SIA" {
		t.Fatalf("company view: %+v", v.Fields)
	}
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	qr, ok := a.edm.(*edm.QueryResponse)
	if !ok {
		t.Fatalf("company evidence: %T", a.edm)
	}
	if lp := qr.Evidence[0].Metadata.LegalPerson; lp == nil || lp.LegalName != "Vienreiz SIA" {
		t.Fatalf("legal person metadata: %+v", lp)
	}
}
