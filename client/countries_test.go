package client_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestEvidenceCountriesAreThoseTheBrokerKnows (defect 5): the country
// picker offered Finland for social-security contributions, which failed
// at once with EB:ERR:0001. The service names only the countries where
// the Evidence Broker knows the evidence.
func TestEvidenceCountriesAreThoseTheBrokerKnows(t *testing.T) {
	ctx := context.Background()
	srv, err := exchange.Start(ctx, exchange.Config{Network: demonet.Embedded{}, DataDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	c := client.New(srv.URL())
	const (
		birth  = "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"
		social = "https://sr.oots.tech.europa.eu/requirements/fc6cedff-8d00-5c37-9411-af37e2d4519d"
	)
	got, err := c.EvidenceCountries(ctx, social)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || slices.Contains(got, "FI") {
		t.Fatalf("countries for social-security contributions = %v: want some, without FI", got)
	}
	if b, _ := c.EvidenceCountries(ctx, birth); !slices.Contains(b, "LV") {
		t.Fatalf("countries for a proof of birth = %v, want LV among them", b)
	}
	if none, err := c.EvidenceCountries(ctx, "urn:example:unknown"); err != nil || len(none) != 0 {
		t.Fatalf("an unknown requirement: %v, %v; want no countries", none, err)
	}
}
