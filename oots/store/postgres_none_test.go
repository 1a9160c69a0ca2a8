//go:build nopostgres

package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestABuildWithoutPostgresSaysSo: the desktop app's build (-tags
// nopostgres) refuses a postgres:// database with a reason that names
// the build, and keeps SQLite working (scripts/test.sh runs it).
func TestABuildWithoutPostgresSaysSo(t *testing.T) {
	ctx := context.Background()
	for _, dsn := range []string{"postgres://vienreiz@127.0.0.1:5432/vienreiz", "postgresql://db.example/vienreiz"} {
		_, err := Open(ctx, dsn, nil)
		if !errors.Is(err, errNoPostgres) || !strings.Contains(err.Error(), "-tags nopostgres") {
			t.Errorf("Open(%s) in a build without PostgreSQL: %v", dsn, err)
		}
	}
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.SeedCatalogue(ctx, demoCatalogue(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service(ctx, "lv-ehic"); err != nil {
		t.Fatalf("SQLite in a build without PostgreSQL: %v", err)
	}
}
