package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// TestRequestsUnderAMandate: a representative makes a request for the
// person who gave them a mandate. The request is the represented person's
// (they list and read it) and names its representative (who lists, reads
// and moves it on); the EDM query has the represented person as subject
// and the representative as AuthorizedRepresentative. A mandate out of
// scope, expired, revoked, not yet valid or held by someone else is
// refused, each with its own code, also on a request already made.
func TestRequestsUnderAMandate(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := &recordingTransport{}
	q := newTestRequests(t, &now, withTransport(tr))
	janis := Principal{Subject: "LV/LV/01019012345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01", LevelOfAssurance: "High"}
	ieva := Principal{Subject: "LV/LV/02028554321", GivenName: "Ieva", FamilyName: "Kalniņa", DateOfBirth: "1985-02-02", LevelOfAssurance: "High"}
	mari := Principal{Subject: "EE/EE/48504152718", GivenName: "Mari", FamilyName: "Tamm", DateOfBirth: "1985-04-15", LevelOfAssurance: "High"}
	give := func(services []string, from, until time.Time) string {
		t.Helper()
		m, err := q.GiveMandate(ctx, janis, api.NewMandate{Representative: ieva.Subject, RepresentativeName: "Ieva Kalniņa", Services: services, ValidFrom: from, ValidUntil: until})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	birth := give([]string{"lv-birth-certificate"}, time.Time{}, now.Add(30*24*time.Hour))
	svc, _ := q.store.Service(ctx, "lv-birth-certificate")
	newRequest := func(mandate string) api.NewRequest {
		return api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV", MandateID: mandate}
	}

	made, _, err := q.Start(ctx, ieva, newRequest(birth))
	if err != nil {
		t.Fatal(err)
	}
	if made.Citizen != "Jānis Bērziņš (LV/LV/01019012345)" || made.Representative != "Ieva Kalniņa (LV/LV/02028554321)" || made.MandateID != birth {
		t.Fatalf("request under a mandate names citizen %q, representative %q, mandate %q", made.Citizen, made.Representative, made.MandateID)
	}
	for _, who := range []Principal{janis, ieva} {
		list, err := q.List(ctx, who)
		if err != nil || len(list) != 1 || list[0].ID != made.ID || list[0].Representative == "" {
			t.Fatalf("%s's list: %+v, %v", who.GivenName, list, err)
		}
		if got, err := q.Get(ctx, who, made.ID); err != nil || got.Mandates != nil {
			t.Fatalf("%s reads the request: %v, with the clerk's list of mandates %+v", who.GivenName, err, got.Mandates)
		}
	}
	if _, err := q.Get(ctx, mari, made.ID); !errors.Is(err, ErrNotYours) {
		t.Fatalf("someone else reads it: %v, want ErrNotYours", err)
	}
	if list, _ := q.List(ctx, mari); len(list) != 0 {
		t.Fatalf("someone else lists it: %+v", list)
	}

	// The representative gives the explicit request; the query is about
	// the represented person and names the representative.
	if _, err := q.GiveExplicitRequest(ctx, ieva, made.ID); err != nil {
		t.Fatal(err)
	}
	wantSubject := requester.Person{Identifier: janis.Subject, GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01", LevelOfAssurance: "High"}
	if tr.last.Subject != wantSubject {
		t.Fatalf("query subject %+v, want the represented person", tr.last.Subject)
	}
	if r := tr.last.Representative; r == nil || r.Identifier != ieva.Subject || r.GivenName != "Ieva" || r.DateOfBirth != "1985-02-02" {
		t.Fatalf("query representative %+v, want Ieva", r)
	}

	refused := func(what string, err error, code string) {
		t.Helper()
		var m *MandateRefusedError
		if !errors.As(err, &m) || m.Code != code {
			t.Fatalf("%s: %v, want %s", what, err, code)
		}
		// The API answers 403 with the code.
		w := httptest.NewRecorder()
		(&restAPI{}).answer(w, httptest.NewRequest("POST", "/v1/requests", nil), 201, nil, err)
		var body api.ErrorBody
		if json.Unmarshal(w.Body.Bytes(), &body); w.Code != 403 || body.Error.Code != code {
			t.Fatalf("%s: answered %d %q, want 403 %s", what, w.Code, body.Error.Code, code)
		}
	}
	ehic := give([]string{"lv-ehic"}, time.Time{}, now.Add(30*24*time.Hour))
	_, _, err = q.Start(ctx, ieva, newRequest(ehic))
	refused("a mandate for another service", err, api.CodeMandateOutOfScope)
	later := give(nil, now.Add(24*time.Hour), now.Add(48*time.Hour))
	_, _, err = q.Start(ctx, ieva, newRequest(later))
	refused("a mandate not yet valid", err, api.CodeMandateNotYetValid)
	if _, _, err := q.Start(ctx, mari, newRequest(birth)); !errors.Is(err, ErrNoSuchMandate) {
		t.Fatalf("someone else's mandate: %v, want ErrNoSuchMandate", err)
	}

	// Once the mandate has ended, the representative can neither make
	// nor move on requests under it; the represented person still can.
	now = now.Add(31 * 24 * time.Hour)
	_, _, err = q.Start(ctx, ieva, newRequest(birth))
	refused("an expired mandate", err, api.CodeMandateExpired)
	_, err = q.Cancel(ctx, ieva, made.ID)
	refused("acting on the request after the mandate expired", err, api.CodeMandateExpired)
	now = now.Add(-31 * 24 * time.Hour)
	if _, err := q.RevokeMandate(ctx, janis, birth); err != nil {
		t.Fatal(err)
	}
	_, _, err = q.Start(ctx, ieva, newRequest(birth))
	refused("a revoked mandate", err, api.CodeMandateRevoked)
	_, err = q.Get(ctx, ieva, made.ID)
	refused("reading the request after revocation", err, api.CodeMandateRevoked)
	if _, err := q.Get(ctx, janis, made.ID); err != nil {
		t.Fatalf("the represented person reads their request after revoking: %v", err)
	}
	if !strings.Contains(made.Timeline[0].Detail, "under a mandate") {
		t.Errorf("the first step does not say who made it: %+v", made.Timeline[0])
	}
}
