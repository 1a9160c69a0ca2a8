package exchange_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// TestHandoffOverTheAPI: a handoff made over the REST API is redeemed by
// its person through the Go client, and refused to another person and a
// second time with the handoff error codes.
func TestHandoffOverTheAPI(t *testing.T) {
	ctx := context.Background()
	base := requestServer(t)
	janis, ieva := client.New(base).WithToken(janisToken), client.New(base).WithToken(ievaToken)
	h, err := janis.CreateHandoff(ctx, api.NewHandoff{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	code := func(err error) string {
		var apiErr *client.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("not an API error: %v", err)
		}
		return apiErr.Code
	}
	if _, err := ieva.Redeem(ctx, api.Redeem{Link: h.Link}); code(err) != api.CodeHandoffOtherPerson {
		t.Fatalf("other person: %v", err)
	}
	req, err := janis.Redeem(ctx, api.Redeem{Link: h.Link})
	if err != nil || req.ServiceID != "lv-birth-certificate" {
		t.Fatalf("redeem: %+v, %v", req, err)
	}
	if _, err := janis.Redeem(ctx, api.Redeem{Code: h.Code}); code(err) != api.CodeHandoffUsed {
		t.Fatalf("reuse: %v", err)
	}
	if _, err := janis.Redeem(ctx, api.Redeem{Link: h.Link + "x"}); code(err) != api.CodeHandoffInvalid {
		t.Fatalf("altered: %v", err)
	}
	if _, err := client.New(base).Redeem(ctx, api.Redeem{Link: h.Link}); code(err) != api.CodeUnauthorized {
		t.Fatalf("signed out: %v", err)
	}
}

// TestHandoffActsForTheCompany: a code the portal made for a company's
// proof of registration started, in the app, a request for the person who
// typed it, never for the company they act for (the redeem had no
// mandate): the provider could only answer that it did not know them. The
// redeem takes the app's mandate; without one such evidence is refused
// (422) and the code stays usable, so that it can be typed again acting
// for the company.
func TestHandoffActsForTheCompany(t *testing.T) {
	ctx := context.Background()
	base := mandateServer(t)
	admin, liga := client.New(base).WithToken(adminToken), client.New(base).WithToken(ligaToken)
	m, err := admin.GiveMandate(ctx, api.NewMandate{Representative: "LV/LV/12087510402", RepresentativeName: "Līga Kalniņa",
		Represented: company, RepresentedName: "Baltic Timber SIA", ValidUntil: time.Now().Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	registration := reqBase + "d8237836-055a-5ad1-a8a2-104614ee0ad5"
	h, err := liga.CreateHandoff(ctx, api.NewHandoff{ServiceID: "lv-register-business", Requirement: registration, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	var apiErr *client.APIError
	if _, err := liga.Redeem(ctx, api.Redeem{Code: h.Code}); !errors.As(err, &apiErr) || apiErr.Code != api.CodeEvidenceForCompanies {
		t.Fatalf("redeemed for herself: %v", err)
	}
	req, err := liga.Redeem(ctx, api.Redeem{Code: h.Code, MandateID: m.ID})
	if err != nil || req.Citizen != "Baltic Timber SIA ("+company+")" || req.MandateID != m.ID {
		t.Fatalf("redeemed acting for the company: %+v, %v", req, err)
	}
}

// TestHandoffOpensTheRequestUnderWay: Lukas went from the portal to the
// app for his contributions and, back on the portal, did it again: each
// code started a request of its own, the same evidence asked from the
// same country twice (found by trying the portal). A code for evidence
// whose request is under way opens that request; another country, or
// the same once the first has ended, starts a new one.
func TestHandoffOpensTheRequestUnderWay(t *testing.T) {
	ctx := context.Background()
	janis := client.New(requestServer(t)).WithToken(janisToken)
	redeem := func(country string) *api.Request {
		t.Helper()
		h, err := janis.CreateHandoff(ctx, api.NewHandoff{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: country})
		if err != nil {
			t.Fatal(err)
		}
		req, err := janis.Redeem(ctx, api.Redeem{Code: h.Code})
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	first := redeem("LV")
	if again := redeem("LV"); again.ID != first.ID {
		t.Fatalf("the second code started %s beside %s, under way", again.ID, first.ID)
	}
	if other := redeem("EE"); other.ID == first.ID {
		t.Fatal("a code for another country opened the request to Latvia")
	}
	if _, err := janis.CancelRequest(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if after := redeem("LV"); after.ID == first.ID {
		t.Fatal("a code after the request was withdrawn opened it")
	}
	if list, err := janis.Requests(ctx); err != nil || len(list) != 3 {
		t.Fatalf("%d requests (%v), want 3", len(list), err)
	}
}
