package exchange_test

import (
	"context"
	"testing"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/catalogue"
	"github.com/vienreiz/vienreiz/oots/exchange"
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
