package requester

import (
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestQueryCheck: every missing or malformed field is refused by name.
func TestQueryCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(q *Query)
		field string
	}{
		{"no exchange id", func(q *Query) { q.ExchangeID = " " }, "ExchangeID"},
		{"no procedure", func(q *Query) { q.Procedure = "" }, "Procedure"},
		{"no requirement", func(q *Query) { q.Requirement.ID = "" }, "Requirement.ID"},
		{"no requirement name", func(q *Query) { q.Requirement.Name = "" }, "Requirement.Name"},
		{"no classification", func(q *Query) { q.EvidenceType.Classification = "" }, "EvidenceType.Classification"},
		{"no format", func(q *Query) { q.EvidenceType.Format = "" }, "EvidenceType.Format"},
		{"no titles", func(q *Query) { q.EvidenceType.Titles = nil }, "EvidenceType.Titles"},
		{"no provider", func(q *Query) { q.Provider.PartyID.Value = "" }, "Provider.PartyID.Value"},
		{"no given name", func(q *Query) { q.Subject.GivenName = "" }, "Subject.GivenName"},
		{"no family name", func(q *Query) { q.Subject.FamilyName = "" }, "Subject.FamilyName"},
		{"bad birth date", func(q *Query) { q.Subject.DateOfBirth = "12.04.1990" }, "Subject.DateOfBirth"},
		{"short identifier", func(q *Query) { q.Subject.Identifier = "EE/LV/123" }, "Subject.Identifier"},
		{"identifier without code", func(q *Query) { q.Subject.Identifier = "LV/LV/" }, "Subject.Identifier"},
		{"old demo identifier", func(q *Query) { q.Subject.Identifier = "LV/LV/010190-12345" }, "Subject.Identifier"},
		{"provider without country", func(q *Query) { q.Provider.Provider.Address.Country = "" }, "Subject.Identifier"},
		{"provider without id", func(q *Query) { q.Provider.Provider.ID.Value = "" }, "Provider.Provider.ID.Value"},
		{"no requester", func(q *Query) { q.Requester.ID = "" }, "Requester.ID"},
		{"no requester name", func(q *Query) { q.Requester.Name = "" }, "Requester.Name"},
		{"preview location in clear", func(q *Query) { q.PreviewLocation = "http://example.org/p" }, "PreviewLocation"},
	}
	good := testQuery()
	if err := good.check(); err != nil {
		t.Fatalf("complete query refused: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := testQuery()
			tt.edit(&q)
			err := q.check()
			if err == nil || !strings.Contains(err.Error(), tt.field+" ") && !strings.Contains(err.Error(), tt.field+":") {
				t.Fatalf("error %v; want one naming %s", err, tt.field)
			}
		})
	}
}

// TestQueryVersion: the DSD's EDM version is written; none means v1.0;
// an unknown one is refused.
func TestQueryVersion(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want edm.Version
		ok   bool
	}{{"", edm.V1, true}, {"oots-edm:v1.0", edm.V1, true}, {"oots-edm:v2.0", edm.Version("oots-edm:v2.0"), true}, {"oots-edm:v9.9", "", false}} {
		q := testQuery()
		q.Provider.EDMVersion = tt.in
		v, err := q.version()
		if (err == nil) != tt.ok || v != tt.want {
			t.Errorf("EDMVersion %q: %q, %v; want %q (ok %v)", tt.in, v, err, tt.want, tt.ok)
		}
	}
}

// TestRequestContent: the EDM request carries what the query says, as
// oots/provider expects it; the second request keeps the ExchangeID and
// adds the location under a new ID.
func TestRequestContent(t *testing.T) {
	q := testQuery()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	r := q.request(now)
	switch {
	case !r.PossibilityForPreview || !r.ExplicitRequestGiven:
		t.Error("preview possibility and explicit request must both be true")
	case r.EvidenceProvider.Identifier.Value != "0245437-2" || r.EvidenceProvider.Identifier.SchemeID != "urn:cef.eu:names:identifier:EAS:0037" || r.EvidenceProvider.Names[0].Value != "Civil registry":
		t.Errorf("evidence provider %+v; want the DSD's Publisher", r.EvidenceProvider)
	case r.NaturalPerson.Identifier.Value != "LV/FI/12345612345" || r.NaturalPerson.Identifier.SchemeID != "eidas" || r.NaturalPerson.LevelOfAssurance != "High":
		t.Errorf("subject %+v", r.NaturalPerson)
	case r.EvidenceRequesters[0].Identifier.SchemeID != DefaultRequesterScheme || r.EvidenceRequesters[0].Classification != edm.ClassEvidenceRequester:
		t.Errorf("requester %+v", r.EvidenceRequesters[0])
	case r.EvidenceRequest.DistributedAs.Format != "application/pdf" || r.PreviewLocation != "" || r.ExchangeID != q.ExchangeID:
		t.Errorf("request %+v", r)
	}
	q.PreviewLocation = "https://127.0.0.1:1/preview/abc"
	second := q.request(now)
	if second.PreviewLocation != q.PreviewLocation || second.ExchangeID != q.ExchangeID || second.ID == r.ID {
		t.Errorf("second request: location %q exchange %q id %q (first %q)", second.PreviewLocation, second.ExchangeID, second.ID, r.ID)
	}
}

// TestRequestValidates checks the first and second requests, and one made
// under a mandate, against the official OOTS v1.0 XSD and Schematron rules
// (R-EDM-REQ-C058 … C067 for the AuthorizedRepresentative), and one for
// a company (LegalPerson, R-EDM-REQ-C047 … C056).
func TestRequestValidates(t *testing.T) {
	spectest.Validator(t)
	q := testQuery()
	var docs []conformance.Doc
	for i, loc := range []string{"", "https://127.0.0.1:1/preview/abc"} {
		q.PreviewLocation = loc
		body, err := q.request(time.Now()).Marshal(edm.V1)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, conformance.Doc{Name: []string{"first", "second"}[i], Data: body, Kind: conformance.EDMRequest})
	}
	// A request under a mandate carries the AuthorizedRepresentative.
	q.PreviewLocation = ""
	q.Representative = &Person{Identifier: "LV/LV/12017512345", GivenName: "Ieva", FamilyName: "Kalniņa", DateOfBirth: "1975-01-12", LevelOfAssurance: "Substantial"}
	under := q.request(time.Now())
	if rep := under.AuthorizedRepresentative; rep == nil || rep.Identifier.Value != "LV/FI/12017512345" || rep.LevelOfAssurance != "Substantial" || under.NaturalPerson.Identifier.Value != "LV/FI/12345612345" {
		t.Fatalf("under a mandate: representative %+v, subject %+v", under.AuthorizedRepresentative, under.NaturalPerson)
	}
	body, err := under.Marshal(edm.V1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "AuthorizedRepresentative") {
		t.Fatal("the marshalled request has no AuthorizedRepresentative")
	}
	docs = append(docs, conformance.Doc{Name: "under a mandate", Data: body, Kind: conformance.EDMRequest})
	// A request for a company: the company is the LegalPerson (no
	// NaturalPerson), its representative the AuthorizedRepresentative.
	q.Company = &Company{Identifier: "LV/LV/40003012345", LegalName: "Baltic Timber SIA"}
	forCompany := q.request(time.Now())
	if lp := forCompany.LegalPerson; lp == nil || lp.LegalPersonIdentifier.Value != "LV/FI/40003012345" || lp.LegalName != "Baltic Timber SIA" ||
		lp.LevelOfAssurance != "Substantial" || forCompany.NaturalPerson != nil || forCompany.AuthorizedRepresentative == nil {
		t.Fatalf("for a company: legal person %+v, natural person %+v, representative %+v", forCompany.LegalPerson, forCompany.NaturalPerson, forCompany.AuthorizedRepresentative)
	}
	if body, err = forCompany.Marshal(edm.V1); err != nil {
		t.Fatal(err)
	}
	docs = append(docs, conformance.Doc{Name: "for a company", Data: body, Kind: conformance.EDMRequest})
	noRep := q
	noRep.Representative = nil
	if err := noRep.check(); err == nil || !strings.Contains(err.Error(), "made by its representative") {
		t.Errorf("a company request without a representative: %v", err)
	}
	for _, r := range spectest.Validate(t, docs...) {
		if errs := r.Errors(); len(errs) > 0 {
			t.Errorf("%s: %v", r.Name, errs)
		}
	}
}

// TestSubmissionHeaders: the AS4 message properties follow the official
// headers of each EDM version, finalRecipient is the Publisher, and the
// ConversationId is the ExchangeID in v1.0 and one per request in v2.0.
func TestSubmissionHeaders(t *testing.T) {
	q := testQuery()
	req := q.request(time.Now())
	props := func(sub *as4.Submission) map[string]as4.Property {
		m := map[string]as4.Property{}
		for _, p := range sub.Properties {
			m[p.Name] = p
		}
		return m
	}
	v1 := q.submission("m1@lv", "fi", req, edm.V1, nil)
	p := props(v1)
	if len(p) != 2 || p[as4.PropFinalRecipient].Value != "0245437-2" || p[as4.PropFinalRecipient].Type != "urn:cef.eu:names:identifier:EAS:0037" || p[as4.PropOriginalSender].Value != q.Requester.ID {
		t.Errorf("v1.0 properties %+v; want originalSender and finalRecipient (the Publisher) only", v1.Properties)
	}
	if v1.ConversationID != q.ExchangeID {
		t.Errorf("v1.0 ConversationId %q, want the ExchangeID", v1.ConversationID)
	}
	v2 := q.submission("m1@lv", "fi", req, edm.V2, nil)
	p = props(v2)
	if p[PropExchangeID].Value != q.ExchangeID || p[PropSpecificationID].Value != string(edm.V2) || len(p) != 4 {
		t.Errorf("v2.0 properties %+v", v2.Properties)
	}
	again := q.submission("m1@lv", "fi", req, edm.V2, nil)
	other := q.submission("m2@lv", "fi", req, edm.V2, nil)
	if v2.ConversationID == q.ExchangeID || v2.ConversationID != again.ConversationID || v2.ConversationID == other.ConversationID {
		t.Errorf("v2.0 ConversationIds %q %q %q; want one per message, stable, not the ExchangeID", v2.ConversationID, again.ConversationID, other.ConversationID)
	}
}

// TestMessageIDsOfAnExchange: the first and the second request of an
// exchange have their own MessageIds, stable across sends (so a crash
// and another process resend the same message); a request sent again
// after the same preview (PreviewRound) is a new message, and round 0 is
// the second request's id as it always was.
func TestMessageIDsOfAnExchange(t *testing.T) {
	q := testQuery()
	first := messageIDOf("LV", q)
	q.PreviewLocation = "https://preview.example.lv/p/1"
	second := messageIDOf("LV", q)
	q.PreviewRound = 1
	third := messageIDOf("LV", q)
	q.PreviewRound = 0
	if first == second || second == third || first == third || messageIDOf("LV", q) != second {
		t.Fatalf("ids %s %s %s: want three distinct, stable ids", first, second, third)
	}
	// Pinned: messages in outboxes written before PreviewRound existed
	// keep their ids.
	if second != "3b15455d-2c6f-5403-b67d-82a92b28f238@lv.requester.vienreiz" {
		t.Fatalf("the second request's id changed: %s", second)
	}
}
