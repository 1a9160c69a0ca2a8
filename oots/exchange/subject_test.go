package exchange

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// recordingTransport acknowledges every query and keeps the last one.
type recordingTransport struct{ last requester.Query }

func (r *recordingTransport) Send(_ context.Context, q requester.Query) (requester.Sent, error) {
	r.last = q
	return requester.Sent{MessageID: "m", ExchangeID: q.ExchangeID}, nil
}

// TestSignedInPersonIsTheQuerySubject: the person a request is sent for is
// the one the access token names — identifier, names, date of birth and the
// sign-in's level of assurance — not a demo constant. Evidence whose
// provider needs a higher level than the sign-in's is refused with the
// level to step up to, and nothing is sent.
func TestSignedInPersonIsTheQuerySubject(t *testing.T) {
	ctx := context.Background()
	idp, err := devidp.Start(ctx, devidp.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer idp.Close(ctx)
	auth, err := NewOIDCTokens(ctx, idp.Provider(), OIDCOptions{})
	if err != nil {
		t.Fatal(err)
	}
	principal := func(user, level string) Principal {
		t.Helper()
		tok, err := devidptest.SignIn(ctx, idp.Issuer(), user, level)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/v1/requests", nil)
		r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		who, err := auth.Authenticate(r)
		if err != nil {
			t.Fatal(err)
		}
		return who
	}

	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tr := &recordingTransport{}
	q := newTestRequests(t, &now, withTransport(tr))
	svc, _ := q.store.Service(ctx, "lv-birth-certificate") // the Latvian birth record needs High
	send := func(who Principal) error {
		made, _, err := q.Start(ctx, who, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
		if err != nil {
			t.Fatal(err)
		}
		if made.Provider.LevelOfAssurance != identity.LevelHigh {
			t.Fatalf("the request names level %q for its provider, want High", made.Provider.LevelOfAssurance)
		}
		_, err = q.GiveExplicitRequest(ctx, who, made.ID)
		return err
	}
	var low *LevelTooLowError
	if err := send(principal("lukas", identity.LevelSubstantial)); !errors.As(err, &low) || low.Need != identity.LevelHigh || low.Have != identity.LevelSubstantial {
		t.Fatalf("explicit request at Substantial for evidence needing High: %v, want LevelTooLowError", err)
	}
	if tr.last.ExchangeID != "" {
		t.Fatalf("a query was sent for a refused request: %+v", tr.last)
	}
	if err := send(principal("janis", identity.LevelHigh)); err != nil {
		t.Fatal(err)
	}
	want := requester.Person{Identifier: "LV/LV/01019012345", GivenName: "Jānis", FamilyName: "Bērziņš", DateOfBirth: "1990-01-01", LevelOfAssurance: "High"}
	if tr.last.Subject != want {
		t.Fatalf("query subject %+v, want %+v", tr.last.Subject, want)
	}
}
