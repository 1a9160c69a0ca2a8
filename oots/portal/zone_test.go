package portal_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/portal"
)

// oneService is a catalogue of one service needing one piece of evidence,
// in Latvia.
type oneService struct{ svc catalogue.Service }

func (c oneService) SearchServices(context.Context, catalogue.Query) ([]catalogue.Service, error) {
	return []catalogue.Service{c.svc}, nil
}

func (c oneService) Service(_ context.Context, id string) (*catalogue.Service, error) {
	if id != c.svc.ID {
		return nil, errors.New("no such service")
	}
	return &c.svc, nil
}

func (c oneService) Facets(context.Context) (*catalogue.Facets, error) {
	return &catalogue.Facets{Countries: []string{"LV"}}, nil
}

// handoffUntil makes handoffs that end at a fixed time.
type handoffUntil time.Time

func (h handoffUntil) Create(context.Context, string, api.NewHandoff, string) (*api.Handoff, error) {
	return &api.Handoff{Link: "https://portal.example/open/handoff/T", AppLink: "vienreiz://handoff/T", Code: "ABCD-EFGH", ExpiresAt: time.Time(h)}, nil
}

// TestHandoffExpiryInThePortalsTimeZone: the handoff page gave the code's
// expiry in UTC ("until 18:21 UTC"), which a person in Riga reads as two
// hours off. It is given in the portal's time zone, named.
func TestHandoffExpiryInThePortalsTimeZone(t *testing.T) {
	svc := catalogue.Service{ID: "lv-a-service", Country: "LV", Name: catalogue.Text{"en": "A service"},
		Evidence: []catalogue.Evidence{{Requirement: "r", Name: catalogue.Text{"en": "Proof"}}}}
	riga := time.FixedZone("EET", 2*3600)
	h := portal.Handler(portal.Config{Catalogue: oneService{svc}, Handoffs: handoffUntil(time.Date(2026, 12, 5, 18, 21, 0, 0, time.UTC)), Location: riga})
	req := httptest.NewRequest("POST", "/portal/services/lv-a-service/continue?lang=en", strings.NewReader(url.Values{"evidence": {"r"}, "country": {"LV"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "ABCD-EFGH") {
		t.Fatalf("%d:\n%s", rec.Code, body)
	}
	if !strings.Contains(body, ">20:21 EET</time>") || strings.Contains(body, "UTC") {
		t.Fatalf("the expiry is not given in the portal's time zone:\n%s", body)
	}
}
