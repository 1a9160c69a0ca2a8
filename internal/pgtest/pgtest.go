// Package pgtest gives tests a PostgreSQL database of their own, so that
// packages tested in parallel never see each other's tables.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env names the variable holding the URL of a PostgreSQL database whose
// role may create databases (scripts/postgres.sh prints one).
const Env = "VIENREIZ_TEST_POSTGRES"

// Fresh creates an empty database for the test and returns its URL; the
// database is dropped when the test ends. It returns "" (and logs why)
// when Env is not set, so callers run their SQLite case only.
func Fresh(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		tb.Logf("PostgreSQL not tested: set %s=postgres://… to include it", Env)
		return ""
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	admin, err := sql.Open("pgx", withoutPoolParams(u))
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "vz_test_" + hex.EncodeToString(suffix)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		tb.Fatalf("creating test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("dropping test database %s: %v", name, err)
		}
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}

// withoutPoolParams is u without the pool_* parameters that the store's
// pool reads (Env may carry pool_max_conns=1, for instance) and that a
// plain pgx connection would send to the server as settings.
func withoutPoolParams(u *url.URL) string {
	c := *u
	q := c.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	c.RawQuery = q.Encode()
	return c.String()
}
