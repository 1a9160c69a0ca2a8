package store

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// postgresConns bounds the connections one store opens.
const postgresConns = 16

// openPostgres connects to the PostgreSQL server named by dsn.
func openPostgres(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	// Bounded, so that several service processes under load stay within
	// the server's max_connections (100 by default) instead of failing
	// with "too many clients"; calls beyond it wait for a connection.
	db.SetMaxOpenConns(postgresConns)
	db.SetMaxIdleConns(postgresConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: postgres: cannot connect: %w", err)
	}
	return db, nil
}
