package backup

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/store"
)

// progressHook is a progress writer that calls on with each line.
type progressHook struct {
	mu sync.Mutex
	on func(line string)
}

func (h *progressHook) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		h.on(line)
	}
	return len(p), nil
}

// liveFolder is a data folder with a ledger of its own, as a service
// keeps it: the database, the anchor file and its key.
type liveFolder struct {
	dir    string
	store  *store.Store
	ledger *ledger.Ledger
}

func newLiveFolder(t *testing.T) *liveFolder {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, exchange.DatabaseFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := ledger.OpenAnchor(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := ledger.New(st.Ledger())
	l.Anchor = a
	return &liveFolder{dir: dir, store: st, ledger: l}
}

// act appends n ledger entries about the citizen and checkpoints them
// into the anchor file, as the service does every minute.
func (f *liveFolder) act(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	for range n {
		if _, err := f.ledger.Append(ctx, ledger.Record{Actor: "citizen", OnBehalfOf: "citizen", Action: "evidence_viewed"}); err != nil {
			t.Error(err)
		}
	}
	if _, err := f.ledger.Checkpoint(ctx); err != nil {
		t.Error(err)
	}
}

// TestTheAnchorIsOlderThanTheDatabaseCopy: the service appends to the
// ledger and checkpoints it right after the database was copied. The
// backup's anchor file must not hold that checkpoint (it names an entry
// the copy lacks, and the backup would read as a ledger cut back): it is
// copied before the database.
func TestTheAnchorIsOlderThanTheDatabaseCopy(t *testing.T) {
	f := newLiveFolder(t)
	f.act(t, 3)
	moved := false
	hook := &progressHook{on: func(line string) {
		if strings.HasPrefix(line, "database "+exchange.DatabaseFile) {
			f.act(t, 2)
			moved = true
		}
	}}
	r, err := Make(context.Background(), f.dir, filepath.Join(t.TempDir(), "b"), Options{Progress: hook})
	if err != nil {
		t.Fatal(err)
	}
	if !moved || r.LedgerEntries != 3 {
		t.Fatalf("the service moved on: %v; the backup's ledger has %d entries, want the 3 before", moved, r.LedgerEntries)
	}
}

// TestCheckNamesADamagedDatabaseAndLedger: a backup whose ledger entry was
// rewritten, or whose database file has a page overwritten, is damaged,
// and Check says what.
func TestCheckNamesADamagedDatabaseAndLedger(t *testing.T) {
	f := newLiveFolder(t)
	f.act(t, 3)
	ctx := context.Background()
	dest := filepath.Join(t.TempDir(), "b")
	if _, err := Make(ctx, f.dir, dest, Options{}); err != nil {
		t.Fatal(err)
	}
	copyOf := func(t *testing.T) string {
		t.Helper()
		c := filepath.Join(t.TempDir(), "c")
		if _, err := Make(ctx, dest, c, Options{}); err != nil {
			t.Fatal(err)
		}
		return c
	}

	rewritten := copyOf(t)
	db, err := sql.Open("sqlite", filepath.Join(rewritten, exchange.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE ledger_entries SET action = 'nothing_happened' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if r, err := Check(ctx, rewritten, Options{}); !errors.Is(err, ErrDamaged) || len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0], "ledger:") {
		t.Fatalf("a rewritten ledger entry: %v, %q", err, r.Problems)
	}

	overwritten := copyOf(t)
	file := filepath.Join(overwritten, exchange.DatabaseFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	copy(b[len(b)-4096:], bytes.Repeat([]byte{0xa5}, 4096)) // the last page
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if r, err := Check(ctx, overwritten, Options{}); !errors.Is(err, ErrDamaged) || len(r.Problems) == 0 || !strings.Contains(r.Problems[0], "database "+exchange.DatabaseFile) {
		t.Fatalf("an overwritten database page: %v, %q", err, r.Problems)
	}
}

// TestAnAnchorLineBeingWrittenIsLeftOut: the service is appending a
// checkpoint to the anchor file as it is copied: the copy ends before the
// line that is not yet whole, and reads as intact.
func TestAnAnchorLineBeingWrittenIsLeftOut(t *testing.T) {
	f := newLiveFolder(t)
	f.act(t, 3)
	anchor, err := os.OpenFile(filepath.Join(f.dir, ledger.AnchorFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anchor.WriteString(`{"chain":"citizen","seq":4,"ha`); err != nil {
		t.Fatal(err)
	}
	anchor.Close()
	dest := filepath.Join(t.TempDir(), "b")
	r, err := Make(context.Background(), f.dir, dest, Options{})
	if err != nil || r.LedgerEntries != 3 {
		t.Fatalf("a backup beside a half-written checkpoint: %d entries, %v", r.LedgerEntries, err)
	}
	copied, err := os.ReadFile(filepath.Join(dest, ledger.AnchorFile))
	if err != nil || !bytes.HasSuffix(copied, []byte("}\n")) || bytes.Contains(copied, []byte(`"seq":4,"ha`)) {
		t.Fatalf("the copied anchor file ends %q (%v)", copied[max(0, len(copied)-40):], err)
	}
}

// TestAFailedBackupLeavesNothing: a backup that stops midway (here its
// context ends) removes what it copied and says so: nothing half made is
// left to be taken for a backup, and the next try can use the folder.
func TestAFailedBackupLeavesNothing(t *testing.T) {
	f := newLiveFolder(t)
	f.act(t, 3)
	dest := filepath.Join(t.TempDir(), "b")
	ctx, cancel := context.WithCancel(context.Background())
	hook := &progressHook{on: func(line string) {
		if strings.HasPrefix(line, "database ") {
			cancel() // after the first database
		}
	}}
	_, err := Make(ctx, f.dir, dest, Options{Progress: hook})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "unfinished copy was removed") {
		t.Fatalf("a backup stopped midway: %v", err)
	}
	if left, err := os.ReadDir(dest); err != nil || len(left) != 0 {
		t.Fatalf("the stopped backup left %d files in %s (%v)", len(left), dest, err)
	}
	if _, err := Make(context.Background(), f.dir, dest, Options{}); err != nil {
		t.Fatalf("the next try: %v", err)
	}
}
