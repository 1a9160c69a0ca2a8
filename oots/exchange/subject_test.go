package exchange

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

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
// sign-in's level of assurance — not a demo constant.
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
	tok, err := devidptest.SignIn(ctx, idp.Issuer(), "lukas", identity.LevelSubstantial)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/v1/requests", nil)
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	who, err := auth.Authenticate(r)
	if err != nil {
		t.Fatal(err)
	}

	q, _, _, _ := readyRequest(t)
	tr := &recordingTransport{}
	q.transport = tr
	svc, _ := q.store.Service(ctx, "lv-birth-certificate")
	made, err := q.Create(ctx, who, api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.GiveExplicitRequest(ctx, who, made.ID); err != nil {
		t.Fatal(err)
	}
	want := requester.Person{Identifier: "DE/DE/T220001293", GivenName: "Lukas", FamilyName: "Müller", DateOfBirth: "1978-11-30", LevelOfAssurance: "Substantial"}
	if tr.last.Subject != want {
		t.Fatalf("query subject %+v, want %+v", tr.last.Subject, want)
	}
}
