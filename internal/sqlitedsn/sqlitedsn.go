// Package sqlitedsn builds the data source names of the project's SQLite
// databases (modernc.org/sqlite), so every store opens its file the same
// way: the path escaped, writers taking the lock at BEGIN, and a busy
// timeout so that several listeners and processes can share the file.
package sqlitedsn

import (
	"net/url"
	"os"
)

// For returns the DSN of the SQLite file at path in WAL mode with the
// given synchronous level ("FULL" or "NORMAL") and extra pragmas such as
// "foreign_keys(1)".
func For(path, synchronous string, pragmas ...string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return File(path) + "?" + q.Encode()
}

// ReadOnly returns a DSN that opens the file at path without writing to it.
func ReadOnly(path string) string { return File(path) + "?mode=ro" }

// File returns the file: URI of path with the characters that would end
// the path part ('?', '#', '%') escaped.
func File(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath()
}

// Private creates the database file at path readable by its owner only
// (0600) before SQLite opens it, or takes group and other permissions off
// an existing one and its journal files: SQLite gives the journal files
// the database file's permissions.
func Private(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		info, err := os.Stat(p)
		if err != nil {
			continue
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(p, perm&0o700); err != nil {
				return err
			}
		}
	}
	return nil
}
