package sqlitedsn

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// TestOddPathsOpenTheRightFile: a folder name with '?', '#' and '%' must
// not cut the path or turn into query parameters.
func TestOddPathsOpenTheRightFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%d", "x.db")
	if err := mkdirAll(filepath.Dir(path)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", For(path, "FULL", "foreign_keys(1)"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	var mode, fk string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != "1" {
		t.Fatalf("foreign_keys = %q, %v", fk, err)
	}
	if !exists(path) {
		t.Fatalf("the database was not created at %s", path)
	}
}
