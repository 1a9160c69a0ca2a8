package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/assets"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/internal/pgtest"
)

// testStores opens a fresh SQLite store and, when VIENREIZ_TEST_POSTGRES
// names a PostgreSQL server, a store in a database of the test's own, so
// every behaviour is checked on both databases.
func testStores(t *testing.T) map[string]*Store {
	t.Helper()
	ctx := context.Background()
	out := map[string]*Store{}
	s, err := Open(ctx, filepath.Join(t.TempDir(), "vienreiz.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	out["sqlite"] = s
	if dsn := pgtest.Fresh(t); dsn != "" {
		p, err := Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		out["postgres"] = p
	}
	return out
}

func demoCatalogue(t testing.TB) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Parse(assets.CatalogueJSON())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogueSeedSearchAndRead(t *testing.T) {
	ctx := context.Background()
	cat := demoCatalogue(t)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			loaded, err := s.SeedCatalogue(ctx, cat)
			if err != nil || !loaded {
				t.Fatalf("first seed: loaded=%v err=%v", loaded, err)
			}
			if loaded, err := s.SeedCatalogue(ctx, cat); err != nil || loaded {
				t.Fatalf("second seed of the same version: loaded=%v err=%v, want no reload", loaded, err)
			}
			all, err := s.SearchServices(ctx, catalogue.Query{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != len(cat.Services) || all[0].ID != cat.Services[0].ID {
				t.Fatalf("empty query returned %d services, want all %d in catalogue order", len(all), len(cat.Services))
			}
			queries := []catalogue.Query{
				{Text: "pension"}, {Text: "uzņēmumu"}, {Text: "UZNEMUMU"}, {Text: "vehicle germany"},
				{Country: "EE"}, {Category: "education"}, {Category: "education", Country: "LV"},
				{Text: "100%"}, {Text: "a_b"}, {Text: "zzzz"}, {Text: "birth"}, {Text: "residence"},
			}
			for _, q := range queries {
				got, err := s.SearchServices(ctx, q)
				if err != nil {
					t.Fatalf("%+v: %v", q, err)
				}
				var want []string
				for rank := range 3 { // the rule: the most relevant first, else in catalogue order
					for i := range cat.Services {
						if q.Matches(&cat.Services[i]) && q.Relevance(&cat.Services[i]) == rank {
							want = append(want, cat.Services[i].ID)
						}
					}
				}
				if len(got) != len(want) {
					t.Fatalf("%+v: store found %d services, the matching rule %d", q, len(got), len(want))
				}
				for i := range got {
					if got[i].ID != want[i] {
						t.Fatalf("%+v: result %d = %s, want %s", q, i, got[i].ID, want[i])
					}
				}
			}
			svc, err := s.Service(ctx, "lv-register-business")
			if err != nil {
				t.Fatal(err)
			}
			if svc.Name.In("lv") != "Reģistrēt saimniecisko darbību" || len(svc.Evidence) != 2 {
				t.Fatalf("service read back wrong: %+v", svc)
			}
			if _, err := s.Service(ctx, "no-such-service"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown id: error = %v, want ErrNotFound", err)
			}
			f, err := s.Facets(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Categories) != len(cat.Categories) || f.Countries[0] != "DE" || len(f.Countries) != 5 {
				t.Fatalf("facets = %+v", f)
			}
		})
	}
}

// TestSearchPutsTheServicesNamedFirst: typing "birth" on the phone listed
// university admission and the old-age pension (which ask for a proof of
// birth) above "Request a birth certificate", in catalogue order (found
// trying the app). The services whose name holds every word come first,
// then those whose description does, then the rest, each in catalogue
// order; in any language the catalogue has.
func TestSearchPutsTheServicesNamedFirst(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.SeedCatalogue(ctx, demoCatalogue(t)); err != nil {
				t.Fatal(err)
			}
			for text, first := range map[string]string{
				"birth": "lv-birth-certificate", "dzimšanas": "lv-birth-certificate",
				"residence": "ee-proof-of-residence", "record": "fi-pension-information",
			} {
				got, err := s.SearchServices(ctx, catalogue.Query{Text: text})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) < 2 || got[0].ID != first {
					t.Errorf("%q: found %v, want %s first of several", text, serviceIDs(got), first)
				}
			}
		})
	}
}

func serviceIDs(list []catalogue.Service) []string {
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	return ids
}

func TestSeedReplacesOlderCatalogueVersion(t *testing.T) {
	ctx := context.Background()
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			old := demoCatalogue(t)
			old.Services = old.Services[:3]
			if _, err := s.SeedCatalogue(ctx, old); err != nil {
				t.Fatal(err)
			}
			newer := demoCatalogue(t)
			newer.Version = old.Version + 1
			loaded, err := s.SeedCatalogue(ctx, newer)
			if err != nil || !loaded {
				t.Fatalf("newer version: loaded=%v err=%v", loaded, err)
			}
			all, _ := s.SearchServices(ctx, catalogue.Query{})
			if len(all) != len(newer.Services) {
				t.Fatalf("after upgrade %d services, want %d", len(all), len(newer.Services))
			}
		})
	}
}

func TestSearchRejectsOverlongQuery(t *testing.T) {
	for name, s := range testStores(t) {
		q := catalogue.Query{Text: string(bytes.Repeat([]byte("x"), catalogue.MaxQueryLength+1))}
		if _, err := s.SearchServices(context.Background(), q); !errors.Is(err, catalogue.ErrQueryTooLong) {
			t.Fatalf("%s: error = %v, want ErrQueryTooLong", name, err)
		}
	}
}

func TestSQLiteDataSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedCatalogue(ctx, demoCatalogue(t)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("reopening our own database: %v", err)
	}
	defer s.Close()
	if _, err := s.Service(ctx, "lv-ehic"); err != nil {
		t.Fatalf("data lost across reopen: %v", err)
	}
}

func TestSQLiteRefusesForeignAndCorruptFilesUntouched(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE photos (id INTEGER); INSERT INTO photos VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	corrupt := filepath.Join(dir, "corrupt.db")
	if err := os.WriteFile(corrupt, bytes.Repeat([]byte("not a database "), 400), 0o600); err != nil {
		t.Fatal(err)
	}

	newer := filepath.Join(dir, "newer.db")
	s, err := Open(ctx, newer, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'future')`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	for _, tc := range []struct{ name, path string }{
		{"another program's SQLite database", foreign},
		{"a file of garbage bytes", corrupt},
		{"a database from a newer Vienreiz", newer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, err := os.ReadFile(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(ctx, tc.path, nil)
			if !errors.Is(err, ErrForeignDatabase) {
				t.Fatalf("error = %v, want ErrForeignDatabase", err)
			}
			after, _ := os.ReadFile(tc.path)
			if !bytes.Equal(before, after) {
				t.Fatal("the refused file was modified")
			}
		})
	}
	if _, err := Open(ctx, dir, nil); err == nil {
		t.Fatal("a directory was accepted as database file")
	}
}

func TestDollarPlaceholders(t *testing.T) {
	if got := dollarPlaceholders(`SELECT a FROM t WHERE b = ? AND c = ?`); got != `SELECT a FROM t WHERE b = $1 AND c = $2` {
		t.Fatal(got)
	}
}

func BenchmarkSearchServices(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.SeedCatalogue(ctx, demoCatalogue(b)); err != nil {
		b.Fatal(err)
	}
	b.Run("baseline-read-by-id", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Service(ctx, "lv-ehic"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("two-words-and-country", func(b *testing.B) {
		q := catalogue.Query{Text: "reģistrēt transportlīdzekli", Country: "LV"}
		for b.Loop() {
			if _, err := s.SearchServices(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.SearchServices(ctx, catalogue.Query{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Only a PostgreSQL database is shared: an SQLite file has one process,
// which has nobody to tell of its changes.
func TestOnlyPostgresIsShared(t *testing.T) {
	for name, s := range testStores(t) {
		if got := s.Shared(); got != (name == "postgres") {
			t.Errorf("%s: Shared() = %v", name, got)
		}
		if name == "sqlite" {
			if err := s.Broadcast(context.Background(), "x"); !errors.Is(err, ErrNotShared) {
				t.Errorf("sqlite: Broadcast = %v, want ErrNotShared", err)
			}
			if err := s.Listen(context.Background(), func() { t.Error("sqlite: Listen ready") }, func(string) {}); !errors.Is(err, ErrNotShared) {
				t.Errorf("sqlite: Listen = %v, want ErrNotShared", err)
			}
		}
	}
}
