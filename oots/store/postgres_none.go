//go:build nopostgres

package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
)

// errNoPostgres is the answer of a build without PostgreSQL (the desktop
// app's: its embedded service keeps its data in SQLite) to a postgres://
// database.
var errNoPostgres = errors.New("store: this program was built without PostgreSQL (-tags nopostgres); use an SQLite file, or the exchange service (vienreiz-server)")

func openPostgres(context.Context, string) (*sql.DB, error) { return nil, errNoPostgres }

func listenPostgres(context.Context, string, func(), func(string)) error { return errNoPostgres }

func sendBatch(context.Context, *sql.DB, func(ex execer) error) error { return errNoPostgres }

// largeObjects is never used in this build: no store opens PostgreSQL.
type largeObjects struct{ db *sql.DB }

func (largeObjects) put(context.Context, func(io.Writer) (string, error)) (string, error) {
	return "", errNoPostgres
}

func (largeObjects) open(context.Context, string, int64) (io.ReadSeekCloser, error) {
	return nil, errNoPostgres
}

func postgresUniqueViolation(error) string { return "" }
