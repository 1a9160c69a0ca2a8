package exchange_test

import (
	"context"
	"errors"
	"testing"

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
