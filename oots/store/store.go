// Package store persists the exchange service's data: SQLite (pure Go,
// the embedded default) or PostgreSQL (scale-out), chosen by the data
// source name, behind one Store type so callers never see the difference.
// The schema is created and upgraded by versioned migrations.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// ErrForeignDatabase is returned when the database file belongs to another
// program, is corrupt, or was written by a newer Vienreiz; it is left
// untouched.
var ErrForeignDatabase = errors.New("not a Vienreiz database")

// Store is the persistence of the exchange service. It is safe for
// concurrent use.
type Store struct {
	// db reads; w writes. On SQLite w is one connection, so writers queue
	// in Go instead of polling the file lock (which made the slowest
	// writes wait tens of milliseconds), while readers go on in parallel
	// under WAL. On PostgreSQL both are the same bounded pool.
	db, w   *sql.DB
	dialect dialect
	// dsn names the PostgreSQL database, for Listen's own connection.
	dsn string
	log *slog.Logger
	// stopCheckpoints ends the SQLite checkpointer; checkpointsDone
	// closes when it has (both nil on PostgreSQL).
	stopCheckpoints chan struct{}
	checkpointsDone chan struct{}
	// blobs keeps the evidence documents; evidenceKey, when set,
	// encrypts them.
	blobs       blobStore
	evidenceKey cipher.AEAD
	// catalogue is the catalogue as last read (see catalogueFresh).
	catalogue catalogueCache
}

// Open connects to the database named by dsn and brings its schema up to
// date. A dsn starting with postgres:// or postgresql:// selects
// PostgreSQL; anything else is the path of an SQLite file, created if
// missing. An existing file that is not a Vienreiz database is refused with
// ErrForeignDatabase and not modified.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	if strings.TrimSpace(dsn) == "" {
		return nil, errors.New("store: empty database name")
	}
	var (
		db, w *sql.DB
		d     dialect
		err   error
	)
	if isPostgres(dsn) {
		db, err = openPostgres(ctx, dsn)
		w, d = db, postgresDialect
	} else {
		db, w, err = openSQLite(ctx, dsn)
		d = sqliteDialect
	}
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, w: w, dialect: d, log: log, blobs: fileBlobs{dir: dsn + ".evidence"}, catalogue: catalogueCache{now: time.Now}}
	if d.name == "postgres" {
		s.blobs, s.dsn = largeObjects{db: db}, dsn
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if d.name == "sqlite" {
		s.stopCheckpoints, s.checkpointsDone = make(chan struct{}), make(chan struct{})
		go checkpoints(db, log, s.stopCheckpoints, s.checkpointsDone)
	}
	return s, nil
}

// Close releases the database; SQLite checkpoints its write-ahead log.
func (s *Store) Close() error {
	if s.stopCheckpoints != nil {
		close(s.stopCheckpoints)
		<-s.checkpointsDone
	}
	err := s.db.Close()
	if s.w != s.db {
		err = errors.Join(err, s.w.Close())
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.PingContext(ctx)
}

// PoolStats are the statistics of the connection pool that writes: how
// many connections are open and in use, and how often and how long
// callers waited for one.
func (s *Store) PoolStats() sql.DBStats { return s.w.Stats() }

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// dialect holds what differs between the databases.
type dialect struct {
	name string
	// rebind turns the ? placeholders the queries are written with into
	// the database's own.
	rebind func(query string) string
}

var sqliteDialect = dialect{name: "sqlite", rebind: func(q string) string { return q }}

var postgresDialect = dialect{name: "postgres", rebind: dollarPlaceholders}

func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Store) q(query string) string { return s.dialect.rebind(query) }

// inTx runs work in a transaction of the writer, committed when work
// returns nil and rolled back otherwise. The errors of beginning and
// committing are wrapped with what the transaction is for; work's own
// are returned as they are.
func (s *Store) inTx(ctx context.Context, what string, work func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer tx.Rollback()
	if err := work(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// writeAll runs a change that only writes, all or nothing. On PostgreSQL
// its statements go to the server as one batch in one round trip, where
// they form one implicit transaction that commits at the batch's end or
// rolls back at its first error; a transaction would take a round trip
// per statement and two more for BEGIN and COMMIT, each a wake-up of the
// server and of the caller, and would hold a pooled connection all that
// time. On SQLite, which has no round trips, they run in a transaction.
// The results that write's statements return are not known yet on
// PostgreSQL: write must not look at them.
func (s *Store) writeAll(ctx context.Context, write func(ex execer) error) error {
	if s.dialect.name == "postgres" {
		return sendBatch(ctx, s.w, write)
	}
	return s.inTx(ctx, "writing", func(tx *sql.Tx) error { return write(tx) })
}
