// Package backup copies the data folder of an exchange service while it
// runs, as one moment, and checks such a copy: its databases, its ledger
// against the copied anchor file and every evidence document. A backup is
// itself a data folder; restoring one is copying it back (Restore).
package backup

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/store"
	_ "modernc.org/sqlite" // the "sqlite" driver, for VACUUM INTO and integrity_check
)

// Options of Make, Restore and Check.
type Options struct {
	// Progress receives a line for each step (nil: none).
	Progress io.Writer
	// EvidenceKey decrypts the encrypted evidence documents so that their
	// content is checked; without it only their length is.
	EvidenceKey []byte
}

// Report is what a backup, a restore or a check did and found.
type Report struct {
	// Files and Bytes were written (Make, Restore).
	Files int
	Bytes int64
	// Databases are the SQLite files, relative to the folder.
	Databases []string
	// LedgerEntries were verified against the anchor file.
	LedgerEntries int64
	// Evidence is the check of every evidence document.
	Evidence store.EvidenceCheck
	// Problems names what is damaged; empty when the folder is usable.
	Problems []string
}

// Errors of Make, Restore and Check.
var (
	// ErrNotEmpty: the destination holds something already.
	ErrNotEmpty = errors.New("the destination exists and is not empty")
	// ErrDamaged: the check found problems (Report.Problems).
	ErrDamaged = errors.New("damaged")
)

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Make copies the data folder dataDir into dest, which must not exist or
// be empty, while a service may be running on it, and then checks the
// copy (Check). The copy is one moment of the service: the anchor file
// first (its checkpoints then name ledger entries the database copy
// holds), then each SQLite database as a snapshot (VACUUM INTO, which
// waits for no writer), then every other file, found after the snapshots,
// so that each evidence document a database copy names is there (they are
// written before their rows and never changed). Files that vanish while
// being copied were in passing (a message being sent or received) and are
// left out. What a copy that fails has copied is removed: nothing half
// made is left to be taken for a backup.
func Make(ctx context.Context, dataDir, dest string, opt Options) (Report, error) {
	src, dst, err := folders(dataDir, dest, true)
	if err != nil {
		return Report{}, err
	}
	r, err := makeCopy(ctx, src, dst, opt)
	if err != nil {
		if rerr := empty(dst); rerr != nil {
			return r, fmt.Errorf("%w (and removing the unfinished copy %s: %v)", err, dst, rerr)
		}
		return r, fmt.Errorf("%w (the unfinished copy was removed)", err)
	}
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "copied %d files, %s, into %s; checking the copy\n", r.Files, size(r.Bytes), dst)
	}
	checked, err := Check(ctx, dst, opt)
	checked.Files, checked.Bytes = r.Files, r.Bytes
	return checked, err
}

// empty removes everything in dir, leaving the folder (made by the
// operator, it may be a mount point or have an owner of its choosing).
func empty(dir string) error {
	entries, err := os.ReadDir(dir)
	for _, e := range entries {
		err = errors.Join(err, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
	return err
}

// makeCopy copies src into the empty folder dst, as Make says.
func makeCopy(ctx context.Context, src, dst string, opt Options) (Report, error) {
	var r Report
	c := copier{src: src, dst: dst, progress: opt.Progress, report: &r}
	if err := c.file(ledger.AnchorKeyFile, io.Copy); err != nil {
		return r, err
	}
	if err := c.file(ledger.AnchorFile, wholeLines); err != nil {
		return r, err
	}
	dbs, err := databases(src)
	if err != nil {
		return r, err
	}
	for _, db := range dbs {
		if err := c.snapshot(ctx, db); err != nil {
			return r, err
		}
	}
	if err := c.rest(ctx, dbs); err != nil {
		return r, err
	}
	return r, syncFolders(dst)
}

// Restore checks the backup in backupDir and copies it into dataDir, which
// must not exist or be empty; the service must not be running on dataDir.
// Nothing is copied from a damaged backup.
func Restore(ctx context.Context, backupDir, dataDir string, opt Options) (Report, error) {
	if _, _, err := folders(backupDir, dataDir, false); err != nil {
		return Report{}, err
	}
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "checking the backup %s\n", backupDir)
	}
	if r, err := Check(ctx, backupDir, opt); err != nil {
		return r, err
	}
	return Make(ctx, backupDir, dataDir, opt)
}

// folders checks that dataDir is a service's data folder and that dest is
// outside it and empty or missing (then made, 0700, when create is set);
// it returns both, absolute.
func folders(dataDir, dest string, create bool) (src, dst string, err error) {
	if src, err = filepath.Abs(dataDir); err != nil {
		return "", "", err
	}
	if dst, err = filepath.Abs(dest); err != nil {
		return "", "", err
	}
	if within(dst, src) || within(src, dst) {
		return "", "", fmt.Errorf("the backup %s and the data folder %s must be apart, neither inside the other", dst, src)
	}
	if _, err := os.Stat(filepath.Join(src, exchange.DatabaseFile)); err != nil {
		return "", "", fmt.Errorf("%s is not a data folder of the service (no %s): %w", src, exchange.DatabaseFile, err)
	}
	entries, err := os.ReadDir(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !create {
			break
		}
		if err := os.MkdirAll(dst, 0o700); err != nil {
			return "", "", err
		}
	case err != nil:
		return "", "", err
	case len(entries) > 0:
		return "", "", fmt.Errorf("%s: %w", dst, ErrNotEmpty)
	}
	return src, dst, nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// databases lists the SQLite files under dir (relative paths), the
// service's own database first.
func databases(dir string) ([]string, error) {
	var dbs []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return ignoreVanished(err)
		}
		ok, err := isSQLite(path)
		if ok {
			rel, _ := filepath.Rel(dir, path)
			dbs = append(dbs, rel)
		}
		return ignoreVanished(err)
	})
	slices.SortFunc(dbs, func(a, b string) int {
		switch {
		case a == exchange.DatabaseFile:
			return -1
		case b == exchange.DatabaseFile:
			return 1
		}
		return strings.Compare(a, b)
	})
	return dbs, err
}

func isSQLite(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], sqliteMagic), nil
}

// ignoreVanished drops the error of a file that is gone.
func ignoreVanished(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// copier copies files of src into dst, the same relative paths.
type copier struct {
	src, dst string
	progress io.Writer
	report   *Report
	// copied are the relative paths done.
	copied map[string]bool
}

func (c *copier) say(format string, args ...any) {
	if c.progress != nil {
		fmt.Fprintf(c.progress, format+"\n", args...)
	}
}

// target makes the folder of rel in dst and returns the file's path there.
func (c *copier) target(rel string) (string, error) {
	path := filepath.Join(c.dst, rel)
	return path, os.MkdirAll(filepath.Dir(path), 0o700)
}

func (c *copier) done(rel string, n int64) {
	if c.copied == nil {
		c.copied = map[string]bool{}
	}
	c.copied[rel] = true
	c.report.Files++
	c.report.Bytes += n
}

// file copies one file with write (io.Copy, or wholeLines), synced, with
// its permissions; a missing one is left out.
func (c *copier) file(rel string, write func(io.Writer, io.Reader) (int64, error)) error {
	in, err := os.Open(filepath.Join(c.src, rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	path, err := c.target(rel)
	if err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
	if err != nil {
		return err
	}
	n, err := write(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copying %s: %w", rel, err)
	}
	c.done(rel, n)
	return nil
}

// wholeLines copies the lines of src that are whole: the anchor file is
// appended to a line at a time, and one being written as it is read is
// left out (cut, it would read as tampering).
func wholeLines(dst io.Writer, src io.Reader) (int64, error) {
	r := bufio.NewReaderSize(src, 64<<10)
	var n int64
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return n, nil // the rest, if any, is a line not yet whole
		}
		if err != nil {
			return n, err
		}
		m, err := dst.Write(line)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
}

// snapshot writes a consistent copy of the SQLite database rel (VACUUM
// INTO: a read transaction, which the service's writers do not wait for),
// 0600, synced.
func (c *copier) snapshot(ctx context.Context, rel string) error {
	path, err := c.target(rel)
	if err != nil {
		return err
	}
	// VACUUM INTO fills an empty file; made here, it is private.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	db, err := sql.Open("sqlite", sqlitedsn.File(filepath.Join(c.src, rel))+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("database %s: %w", rel, err)
	}
	f, err = os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err == nil {
		err = f.Sync() // VACUUM INTO does not sync what it wrote
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("database %s: %w", rel, err)
	}
	c.done(rel, info.Size())
	c.report.Databases = append(c.report.Databases, rel)
	c.say("database %s: %s", rel, size(info.Size()))
	return nil
}

// rest copies every file not copied yet but the databases' own journals
// and unfinished evidence files, and makes every folder.
func (c *copier) rest(ctx context.Context, dbs []string) error {
	skip := map[string]bool{}
	for _, db := range dbs {
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			skip[db+suffix] = true
		}
	}
	files := 0
	return filepath.WalkDir(c.src, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return ignoreVanished(err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(c.src, path)
		switch {
		case e.IsDir():
			return os.MkdirAll(filepath.Join(c.dst, rel), 0o700)
		case !e.Type().IsRegular():
			c.say("left out %s: not a regular file", rel)
			return nil
		case c.copied[rel] || skip[rel] || strings.HasPrefix(e.Name(), store.UnfinishedBlobPrefix):
			return nil
		}
		if err := c.file(rel, io.Copy); err != nil {
			return err
		}
		if files++; files%1000 == 0 {
			c.say("files: %d, %s so far", c.report.Files, size(c.report.Bytes))
		}
		return nil
	})
}

// syncFolders syncs every folder under dir, so that the files made in them
// stay after a crash.
func syncFolders(dir string) error {
	return filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// Check checks a data folder that no service is running on (a backup):
// each SQLite database's integrity, the ledger's chains against the
// anchor file's checkpoints and every evidence document's content against
// its recorded SHA-256. It returns ErrDamaged when it found problems,
// named in the report.
func Check(ctx context.Context, dir string, opt Options) (Report, error) {
	c := copier{progress: opt.Progress}
	var r Report
	if _, err := os.Stat(filepath.Join(dir, exchange.DatabaseFile)); err != nil {
		return r, fmt.Errorf("%s is not a data folder of the service (no %s): %w", dir, exchange.DatabaseFile, err)
	}
	dbs, err := databases(dir)
	if err != nil {
		return r, err
	}
	r.Databases = dbs
	for _, db := range dbs {
		problem, err := integrity(ctx, filepath.Join(dir, db))
		if err != nil {
			return r, fmt.Errorf("database %s: %w", db, err)
		}
		if problem != "" {
			r.Problems = append(r.Problems, fmt.Sprintf("database %s: %s", db, problem))
		}
	}
	c.say("databases: %d checked", len(dbs))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	r.LedgerEntries, err = exchange.VerifyLedger(ctx, exchange.Config{DataDir: dir, Logger: quiet})
	switch {
	case errors.Is(err, ledger.ErrTampered):
		r.Problems = append(r.Problems, err.Error()) // "ledger: …"
	case err != nil:
		return r, fmt.Errorf("ledger: %w", err)
	default:
		c.say("ledger: %d entries verified against %s", r.LedgerEntries, ledger.AnchorFile)
	}
	if r.Evidence, err = checkEvidence(ctx, dir, opt, quiet, &c); err != nil {
		return r, err
	}
	r.Problems = append(r.Problems, r.Evidence.Problems...)
	if len(r.Problems) > 0 {
		return r, fmt.Errorf("%s: %w: %s", dir, ErrDamaged, strings.Join(r.Problems, "; "))
	}
	return r, nil
}

// integrity is SQLite's integrity check of the file at path: "" when it
// is sound, else what it found.
func integrity(ctx context.Context, path string) (string, error) {
	db, err := sql.Open("sqlite", sqlitedsn.File(path))
	if err != nil {
		return "", err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err.Error(), nil // not a database SQLite can read
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		if line != "ok" {
			found = append(found, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err.Error(), nil
	}
	return strings.Join(found, "; "), nil
}

// checkEvidence reads every evidence document of the folder's database.
func checkEvidence(ctx context.Context, dir string, opt Options, log *slog.Logger, c *copier) (store.EvidenceCheck, error) {
	st, err := store.Open(ctx, filepath.Join(dir, exchange.DatabaseFile), log)
	if err != nil {
		return store.EvidenceCheck{}, err
	}
	defer st.Close()
	if opt.EvidenceKey != nil {
		if err := st.SetEvidenceKey(opt.EvidenceKey); err != nil {
			return store.EvidenceCheck{}, err
		}
	}
	check, err := st.CheckEvidence(ctx, func(done, total int) {
		if done%500 == 0 && done < total {
			c.say("evidence: %d of %d documents read", done, total)
		}
	})
	if err != nil {
		return check, fmt.Errorf("evidence: %w", err)
	}
	how := "content read and its SHA-256 compared"
	if check.SizeOnly > 0 {
		how = fmt.Sprintf("%d read whole, %d encrypted checked by length (give the evidence key to read them)", check.Hashed, check.SizeOnly)
	}
	c.say("evidence: %d documents, %s; %d damaged", check.Documents, how, len(check.Problems))
	return check, nil
}

// size says n bytes in KiB, MiB or GiB.
func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
