package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/pgtest"
)

// The store answers Service and HasCountry from the catalogue it read
// last: a caller cannot change the kept copy, a catalogue another process
// seeds is seen once catalogueFresh has passed, and one this store seeds
// at once.
func TestCatalogueIsReadAgainAfterAMinute(t *testing.T) {
	ctx := context.Background()
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "vienreiz.db")}
	if dsn := pgtest.Fresh(t); dsn != "" {
		dsns["postgres"] = dsn
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			open := func() *Store {
				s, err := Open(ctx, dsn, nil)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			s, other := open(), open()
			var mu sync.Mutex
			clock := time.Date(2026, 12, 5, 4, 0, 0, 0, time.UTC)
			s.catalogue.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			name := func(id string) string {
				t.Helper()
				svc, err := s.Service(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return svc.Name["en"]
			}

			old := demoCatalogue(t)
			if _, err := s.SeedCatalogue(ctx, old); err != nil {
				t.Fatal(err)
			}
			first, last := old.Services[0], old.Services[len(old.Services)-1]
			svc, err := s.Service(ctx, first.ID)
			if err != nil {
				t.Fatal(err)
			}
			svc.Name["en"], svc.Evidence[0].Name["en"] = "changed by a caller", "changed too"
			if again, _ := s.Service(ctx, first.ID); again.Name["en"] != first.Name["en"] || again.Evidence[0].Name["en"] != first.Evidence[0].Name["en"] {
				t.Fatalf("a caller changed the kept service: %+v", again)
			}

			newer := demoCatalogue(t)
			newer.Version = old.Version + 1
			newer.Services[0].Name["en"] = "Renamed"
			newer.Services = newer.Services[:len(newer.Services)-1]
			if loaded, err := other.SeedCatalogue(ctx, newer); err != nil || !loaded {
				t.Fatalf("another process's seeding: %v, %v", loaded, err)
			}
			if got := name(first.ID); got != first.Name["en"] {
				t.Fatalf("within a minute of reading: %q, want the catalogue as read", got)
			}
			mu.Lock()
			clock = clock.Add(catalogueFresh)
			mu.Unlock()
			for deadline := time.Now().Add(5 * time.Second); name(first.ID) != "Renamed"; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("a minute later the store still answers from the old catalogue")
				}
			}
			if _, err := s.Service(ctx, last.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("a service the newer catalogue dropped: %v, want ErrNotFound", err)
			}
			if has, err := s.HasCountry(ctx, first.Country); err != nil || !has {
				t.Fatalf("HasCountry(%s) = %v, %v", first.Country, has, err)
			}
			if has, err := s.HasCountry(ctx, "ZZ"); err != nil || has {
				t.Fatalf("HasCountry(ZZ) = %v, %v", has, err)
			}

			newest := demoCatalogue(t)
			newest.Version = newer.Version + 1
			newest.Services[0].Name["en"] = "Renamed again"
			if _, err := s.SeedCatalogue(ctx, newest); err != nil {
				t.Fatal(err)
			}
			if got := name(first.ID); got != "Renamed again" {
				t.Fatalf("after this store seeded: %q", got)
			}
		})
	}
}
