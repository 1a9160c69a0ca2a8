package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlitelib "modernc.org/sqlite/lib"
)

// applicationID marks an SQLite file as Vienreiz's ("VZR1"), so that a
// foreign database is recognised before anything is written to it.
const applicationID = 0x565A5231

// sqliteReaders bounds the reading connections of an SQLite store.
const sqliteReaders = 8

// openSQLite opens (or creates) the SQLite file at path, returning a pool
// of readers and a single writer connection. An existing file is first
// inspected read-only: if it is corrupt or belongs to another program it
// is refused untouched.
func openSQLite(ctx context.Context, path string) (db, w *sql.DB, err error) {
	if info, err := os.Stat(path); err == nil {
		if info.IsDir() {
			return nil, nil, fmt.Errorf("store: %s is a directory, not a database file", path)
		}
		if info.Size() > 0 {
			if err := inspectSQLite(ctx, path); err != nil {
				return nil, nil, err
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	if err := sqlitedsn.Private(path); err != nil {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	open := func(conns int, pragmas ...string) (*sql.DB, error) {
		db, err := sql.Open("sqlite", sqlitedsn.For(path, "NORMAL", append([]string{"foreign_keys(1)"}, pragmas...)...))
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		return db, nil
	}
	// The writer first: it creates the file and switches it to WAL. Its
	// commits never copy the log back into the file (that is the
	// checkpointer's job, see checkpoints), so no write waits for it.
	if w, err = open(1, "wal_autocheckpoint(0)"); err != nil {
		return nil, nil, err
	}
	if db, err = open(sqliteReaders); err != nil {
		w.Close()
		return nil, nil, err
	}
	return db, w, nil
}

// inspectSQLite checks, without writing, that path is an SQLite database
// that is empty or carries Vienreiz's application id.
func inspectSQLite(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", sqlitedsn.ReadOnly(path))
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	var id int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return fmt.Errorf("store: %s is unreadable or corrupt (%v): %w; it was left untouched", path, err, ErrForeignDatabase)
	}
	if id == applicationID {
		return nil
	}
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables); err != nil {
		return fmt.Errorf("store: %s is unreadable or corrupt (%v): %w; it was left untouched", path, err, ErrForeignDatabase)
	}
	if id != 0 || tables > 0 {
		return fmt.Errorf("store: %s belongs to another program (application id %#x, %d schema objects): %w; it was left untouched", path, id, tables, ErrForeignDatabase)
	}
	return nil
}

// checkpointEvery is how often the SQLite write-ahead log is copied back
// into the database file.
const checkpointEvery = time.Second

// checkpoints copies the write-ahead log back into the database file
// every checkpointEvery until stop closes, on a reading connection and
// without blocking the writer (PASSIVE), so the log stays short and no
// commit pays for a checkpoint. It closes done when it returns.
func checkpoints(db *sql.DB, log *slog.Logger, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if _, err := db.Exec("PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
			log.Warn("store: checkpoint of the write-ahead log failed", "err", err)
		}
	}
}

// uniqueViolation is the unique index (or constraint) that refused a
// write with err, "" when none did. PostgreSQL names the index; SQLite
// its columns (table.column), read as table_column: the name of each of
// our one-column unique indexes.
func uniqueViolation(err error) string {
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		if lite.Code() != sqlitelib.SQLITE_CONSTRAINT_UNIQUE {
			return ""
		}
		_, cols, _ := strings.Cut(lite.Error(), "UNIQUE constraint failed: ")
		cols, _, _ = strings.Cut(cols, " ")
		return strings.ReplaceAll(cols, ".", "_")
	}
	return postgresUniqueViolation(err)
}
