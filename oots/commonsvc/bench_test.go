package commonsvc

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

// BenchmarkLookup measures a DSD look-up against the embedded server over
// loopback HTTP, without and with the cache; compare cached to uncached
// (the baseline) from the same run.
func BenchmarkLookup(b *testing.B) {
	srv, d, _ := demoServer(b)
	q := DataServicesQuery{Classification: classificationOf(b, d, "proof-of-birth", "LV"), Country: "LV"}
	ctx := context.Background()
	for _, bc := range []struct {
		name  string
		cache *Cache
	}{
		{"uncached", nil},
		{"cached", NewCache(CacheConfig{TTL: time.Hour})},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := clientFor(srv)
			c.Cache = bc.cache
			if _, err := c.DataServices(ctx, q); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ts, err := c.DataServices(ctx, q)
				if err != nil || len(ts) != 1 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParse measures the parsers alone on the largest answers: the
// EC's full requirements catalogue (v2.0, 0.6 MiB) and a demo DSD answer.
func BenchmarkParse(b *testing.B) {
	d := demo(b)
	ts, err := d.DataServices(DataServicesQuery{Classification: classificationOf(b, d, "proof-of-birth", "LV"), Country: "LV"})
	if err != nil {
		b.Fatal(err)
	}
	dsd, err := EncodeDataServices(ts, "bench")
	if err != nil {
		b.Fatal(err)
	}
	catalogue, err := os.ReadFile(filepath.Join(spectest.Dir(b), "samples", "common-services", "v2.0-oots-france", "eb_requirements_catalogue.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("eb-catalogue", func(b *testing.B) {
		b.SetBytes(int64(len(catalogue)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := ParseRequirements(catalogue); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dsd-answer", func(b *testing.B) {
		b.SetBytes(int64(len(dsd)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := ParseDataServices(dsd); err != nil {
				b.Fatal(err)
			}
		}
	})
}
