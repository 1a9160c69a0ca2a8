package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestBadRequestsAnswered: every request the provider cannot serve gets
// an EDM error with a readable detail, and nothing is stored.
func TestBadRequestsAnswered(t *testing.T) {
	w := newWorld(t)
	birth := w.offer("LV", "birth")
	marshal := func(mod func(r *edm.QueryRequest)) []byte {
		r := w.request(birth, "application/pdf")
		mod(r)
		b, err := r.Marshal(edm.V1)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	valid := marshal(func(*edm.QueryRequest) {})
	company := w.offer("LV", "enterprises")
	for _, tc := range []struct {
		name   string
		body   []byte
		code   edm.ErrorCode
		detail string
	}{
		{"attack: not well-formed XML", []byte("<query:QueryRequest xmlns:query="), edm.CodeInvalidRequest, "cannot be read"},
		{"attack: entity expansion bomb", []byte(`<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><q>&b;</q>`), edm.CodeInvalidRequest, "DOCTYPE"},
		{"attack: external entity (XXE)", []byte(`<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><q>&x;</q>`), edm.CodeInvalidRequest, "DOCTYPE"},
		{"attack: oversize payload", append(append([]byte("<q>"), bytes.Repeat([]byte("a"), 9<<20)...), "</q>"...), edm.CodeInvalidRequest, "size limit"},
		{"attack: script in request id", bytes.Replace(valid, []byte(`id="urn:uuid:`), []byte(`id="<script>urn:uuid:`), 1), edm.CodeInvalidRequest, ""},
		{"empty payload", []byte{}, edm.CodeInvalidRequest, "cannot be read"},
		{"other root element", []byte(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>`), edm.CodeInvalidRequest, "not an EDM message"},
		{"response instead of request", mustMarshal(t, edm.NewTimeout(w.request(birth, ""), agentOf(birth.Services[0]), "x", time.Now())), edm.CodeInvalidRequest, "cannot be read"},
		{"unsupported version", bytes.ReplaceAll(valid, []byte("oots-edm:v1.0"), []byte("oots-edm:v9.0")), edm.CodeUnsupportedCapability, "unsupported EDM version"},
		{"unknown evidence type", marshal(func(r *edm.QueryRequest) {
			r.EvidenceRequest.Identifier = "6f5e7a4c-0000-4000-8000-000000000000"
			r.EvidenceRequest.Classification = "https://sr.oots.tech.europa.eu/evidencetypeclassifications/LV/unknown"
		}), edm.CodeUnresolvedReference, "not served"},
		{"unknown subject: no identifier", marshal(func(r *edm.QueryRequest) { r.NaturalPerson.Identifier = edm.Identifier{} }), edm.CodeObjectNotFound, "no identifier"},
		{"unknown subject: person asks for company evidence", marshal(func(r *edm.QueryRequest) {
			r.EvidenceRequest = w.request(company, "application/pdf").EvidenceRequest
			r.EvidenceProvider = agentOf(company.Services[0])
		}), edm.CodeObjectNotFound, "not kept"},
		{"no preview possible", marshal(func(r *edm.QueryRequest) { r.PossibilityForPreview = false }), edm.CodeUnsupportedCapability, "PossibilityForPreview"},
		{"attack: foreign preview location", marshal(func(r *edm.QueryRequest) {
			r.PreviewLocation = "https://evil.example/preview/" + strings.Repeat("A", 43)
		}), edm.CodeUnresolvedReference, "not a preview of this provider"},
		{"attack: guessed preview token", marshal(func(r *edm.QueryRequest) { r.PreviewLocation = w.preview.URL + "/preview/" + strings.Repeat("A", 43) }), edm.CodeUnresolvedReference, "names no preview"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := w.send(tc.body, edm.NewUUID())
			a := w.next()
			x := exception(t, a)
			if a.msg.RefToMessageID != id {
				t.Errorf("answer refers to %q, want %q", a.msg.RefToMessageID, id)
			}
			if x.Exception.Code != tc.code || !strings.Contains(x.Exception.Detail, tc.detail) {
				t.Errorf("answer %s %q, want %s with %q", x.Exception.Code, x.Exception.Detail, tc.code, tc.detail)
			}
			if x.Exception.PreviewLocation != "" {
				t.Errorf("error carries a preview location %q", x.Exception.PreviewLocation)
			}
			if n, err := w.prov.store.count(context.Background()); err != nil || n != 0 {
				t.Errorf("previews stored: %d (%v), want 0", n, err)
			}
		})
	}
}

// TestSecondRequestChecks: the second request must come from the same
// exchange, requester and subject as the preview.
func TestSecondRequestChecks(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("LV", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	w.previewFlow(loc, "LV/LV/12345612345", DecisionApprove)
	for _, tc := range []struct {
		name string
		mod  func(r *edm.QueryRequest)
		code edm.ErrorCode
	}{
		{"attack: another subject uses the approval", func(r *edm.QueryRequest) {
			p := *r.NaturalPerson
			p.Identifier.Value = "LV/LV/99999999999"
			r.NaturalPerson = &p
		}, edm.CodeFailedAuthentication},
		{"attack: another exchange uses the approval", func(r *edm.QueryRequest) { r.ExchangeID = edm.NewUUID() }, edm.CodeInvalidRequest},
		{"another evidence type", func(r *edm.QueryRequest) {
			o := w.offer("LV", "residence")
			r.EvidenceRequest = w.request(o, "application/pdf").EvidenceRequest
		}, edm.CodeInvalidRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req.AfterPreview(loc, time.Now())
			tc.mod(r)
			a, _ := w.ask(r, edm.V1)
			if x := exception(t, a); x.Exception.Code != tc.code {
				t.Fatalf("answer %s %q, want %s", x.Exception.Code, x.Exception.Detail, tc.code)
			}
		})
	}
	// The approval is still there for the rightful request.
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	if _, ok := a.edm.(*edm.QueryResponse); !ok {
		t.Fatalf("rightful request after the attempts: %T, want a QueryResponse", a.edm)
	}
}

// TestVersion2Answered: a v2.0 request (Finland speaks v2.0) is answered
// in v2.0.
func TestVersion2Answered(t *testing.T) {
	w := newWorld(t)
	req := w.request(w.offer("FI", "birth"), "application/pdf")
	a, _ := w.ask(req, edm.V2)
	x := exception(t, a)
	if x.SpecVersion() != edm.V2 || !x.PreviewRequired() || a.msg.Property(propSpecificationID) != string(edm.V2) {
		t.Fatalf("v2 answer: version %q code %s", x.SpecVersion(), x.Exception.Code)
	}
	w.previewFlow(x.Exception.PreviewLocation, "LV/FI/12345612345", DecisionApprove)
	a, _ = w.ask(req.AfterPreview(x.Exception.PreviewLocation, time.Now()), edm.V2)
	if qr, ok := a.edm.(*edm.QueryResponse); !ok || qr.SpecVersion() != edm.V2 {
		t.Fatalf("v2 evidence: %T", a.edm)
	}
}

func mustMarshal(t testing.TB, m edm.Message) []byte {
	t.Helper()
	b, err := m.Marshal(edm.V1)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
