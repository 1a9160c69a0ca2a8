//go:build !nopostgres

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// openPostgres connects to the PostgreSQL server named by dsn.
//
// The connection pool is bounded, so that several service processes under
// load stay within the server's max_connections instead of failing with
// "too many clients", and so that a small database server is not
// oversubscribed. The bound is the DSN's pool_max_conns (pgxpool's
// parameter), by default defaultMaxConns; pool_max_conn_lifetime and
// pool_max_conn_idle_time apply too. No code path holds one connection
// while it waits for a second, so any bound of 1 or more is safe.
func openPostgres(ctx context.Context, dsn string) (*sql.DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns()
	}
	db := stdlib.OpenDB(*cfg.ConnConfig)
	db.SetMaxOpenConns(int(cfg.MaxConns))
	db.SetMaxIdleConns(int(cfg.MaxConns))
	db.SetConnMaxLifetime(cfg.MaxConnLifetime)
	db.SetConnMaxIdleTime(cfg.MaxConnIdleTime)
	if err := openAll(ctx, db, int(cfg.MaxConns)); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: postgres: cannot connect: %w", err)
	}
	return db, nil
}

// defaultMaxConns is the pool's bound when the DSN sets none: the greater
// of 8 and the number of CPUs. A connection is held while its commit waits
// for the disk, so a pool of one or two per core (pgxpool's own default,
// the greater of 4 and the CPUs) leaves callers waiting for a connection
// while the server is idle: creating requests at 500 a second on two
// cores, 4 connections made 449 creates of 15,000 wait for one, 6 made
// 104, 8 made 6. Many more oversubscribe a small server: 16 gave a p99 of
// 44 ms where 6 and 8 gave 10 ms.
func defaultMaxConns() int32 {
	return int32(max(8, runtime.NumCPU()))
}

// openAll opens the pool's n connections at once and leaves them idle in
// it, so that the first burst of work after start does not wait while
// they are opened one by one: each is a new server process and a
// password exchange, and at 500 creates a second opening them on demand
// made the first second's creates wait up to 350 ms for a connection.
func openAll(ctx context.Context, db *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
	}
	return nil
}

// sendBatch runs write's statements on PostgreSQL as one batch, in one
// round trip (see writeAll).
func sendBatch(ctx context.Context, db *sql.DB, write func(ex execer) error) error {
	var b batch
	if err := write(&b); err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		return dc.(*stdlib.Conn).Conn().SendBatch(ctx, &b.Batch).Close()
	})
}

// batch queues the statements given to ExecContext for writeAll.
type batch struct{ pgx.Batch }

func (b *batch) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	b.Queue(query, args...)
	return notSentYet{}, nil
}

// notSentYet is the result of a statement queued in a batch.
type notSentYet struct{}

var errNotSentYet = errors.New("store: the statement's batch is not sent yet")

func (notSentYet) LastInsertId() (int64, error) { return 0, errNotSentYet }
func (notSentYet) RowsAffected() (int64, error) { return 0, errNotSentYet }

// listenPostgres is Store.Listen on the database named by dsn.
func listenPostgres(ctx context.Context, dsn string, ready func(), hear func(payload string)) error {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("store: postgres: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = listenerName
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return fmt.Errorf("store: listening: %w", err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(ctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+broadcastChannel); err != nil {
		return fmt.Errorf("store: listening: %w", err)
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("store: listening: %w", err)
		}
		hear(n.Payload)
	}
}

// postgresUniqueViolation is the unique index that refused a write with
// err (SQLSTATE 23505), "" when none did.
func postgresUniqueViolation(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return pg.ConstraintName
	}
	return ""
}
