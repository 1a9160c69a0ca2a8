package exchange_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/pgtest"
	"github.com/vienreiz/vienreiz/oots/catalogue"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/api"
)

// BenchmarkCatalogueSearch measures a catalogue search through the Go
// client, HTTP and the SQLite store, with GET /v1/health (same client,
// same HTTP, one trivial query) as the baseline measured in the same run:
// the ratio search/health is what the search itself costs.
func BenchmarkCatalogueSearch(b *testing.B) {
	s, err := exchange.Start(context.Background(), exchange.Config{DataDir: b.TempDir(), Logger: quietLog()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close(context.Background())
	c := client.New(s.URL())
	ctx := context.Background()
	b.Run("baseline-health", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Health(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, q := range map[string]catalogue.Query{
		"all":               {},
		"word":              {Text: "pension"},
		"two-words-country": {Text: "reģistrēt transportlīdzekli", Country: "LV"},
	} {
		b.Run("search-"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Services(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCreateRequest measures POST /v1/requests (with its EB and DSD
// look-ups against the embedded directory, cached after the first) through
// the Go client, on SQLite and, when VIENREIZ_TEST_POSTGRES is set, on
// PostgreSQL, and reports the 99th percentile latency. The baseline is
// GET /v1/health through the same client in the same run.
func BenchmarkCreateRequest(b *testing.B) {
	cfgs := map[string]exchange.Config{"sqlite": {DataDir: b.TempDir()}}
	if dsn := pgtest.Fresh(b); dsn != "" {
		cfgs["postgres"] = exchange.Config{Database: dsn}
	}
	for name, cfg := range cfgs {
		b.Run(name, func(b *testing.B) {
			cfg.Logger, cfg.Auth = quietLog(), exchange.BearerTokens{"t": exchange.DemoCitizen()}
			s, err := exchange.Start(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close(context.Background())
			c := client.New(s.URL()).WithToken("t")
			ctx := context.Background()
			svc, err := c.Service(ctx, "lv-ehic")
			if err != nil {
				b.Fatal(err)
			}
			in := api.NewRequest{ServiceID: svc.ID, Requirement: svc.Evidence[0].Requirement, Country: "LV"}
			b.Run("baseline-health", func(b *testing.B) {
				for b.Loop() {
					if _, err := c.Health(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("create", func(b *testing.B) {
				var lat []time.Duration
				for b.Loop() {
					t0 := time.Now()
					if _, err := c.CreateRequest(ctx, in); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			})
		})
	}
}
