package exchange

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// TestRefusedAnswerOnTimeline: an answer the requester refused because it
// breaks an OOTS rule is recorded on the request's timeline, naming the
// rule, and ends the request as a provider error.
func TestRefusedAnswerOnTimeline(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	who := DemoCitizen()
	svc, err := q.store.Service(ctx, "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := q.Start(ctx, who, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.GiveExplicitRequest(ctx, who, r.ID); err != nil {
		t.Fatal(err)
	}
	bad := &edm.RuleError{Field: "EvidenceMetadata/sdg:Evidence/sdg:IsAbout/sdg:NaturalPerson/sdg:Identifier", Rule: "R-EDM-RESP-C028", Value: "LV/DE/123", Reason: "not an eIDAS identifier"}
	if err := q.OnAnswer(ctx, requester.Answer{MessageID: "a1@fi", ExchangeID: r.ID, Action: "ExecuteQueryResponse", Refused: bad}); err != nil {
		t.Fatal(err)
	}
	got, err := q.Get(ctx, who, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := got.Timeline[len(got.Timeline)-1]
	if last.Event != "provider_error" || !strings.Contains(last.Detail, "R-EDM-RESP-C028") {
		t.Fatalf("timeline ends with %+v; want provider_error naming R-EDM-RESP-C028", last)
	}
}
