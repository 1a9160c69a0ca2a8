package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// applicationID marks an SQLite file as Vienreiz's ("VZR1"), so that a
// foreign database is recognised before anything is written to it.
const applicationID = 0x565A5231

// openSQLite opens (or creates) the SQLite file at path. An existing file is
// first inspected read-only: if it is corrupt or belongs to another program
// it is refused untouched.
func openSQLite(ctx context.Context, path string) (*sql.DB, error) {
	if info, err := os.Stat(path); err == nil {
		if info.IsDir() {
			return nil, fmt.Errorf("store: %s is a directory, not a database file", path)
		}
		if info.Size() > 0 {
			if err := inspectSQLite(ctx, path); err != nil {
				return nil, err
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open("sqlite", sqlitedsn.For(path, "NORMAL", "foreign_keys(1)"))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
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
