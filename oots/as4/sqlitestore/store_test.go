package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOutboxSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"b", "a", "c"} {
		if err := s.Add(ctx, as4.OutboxEntry{MessageID: id, Data: []byte("data-" + id), Created: t0.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "a", Data: []byte("again")}); !errors.Is(err, as4.ErrExists) {
		t.Fatalf("second add of a: %v", err)
	}
	if err := s.Finish(ctx, "a", "sent", "receipt r1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "zzz", "sent", ""); err == nil {
		t.Fatal("finish of an unknown id succeeded")
	}
	s.Close()

	s = open(t, path)
	got, err := s.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].MessageID != "b" || got[1].MessageID != "c" || string(got[1].Data) != "data-c" || !got[0].Created.Equal(t0) {
		t.Fatalf("pending after reopen: %+v", got)
	}
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "a"}); !errors.Is(err, as4.ErrExists) {
		t.Fatalf("finished id re-added: %v", err)
	}
}

func TestClaimLifecycle(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	lease := time.Minute
	steps := []struct {
		name    string
		do      func() (as4.ClaimState, []byte, error)
		want    as4.ClaimState
		receipt string
	}{
		{"first claim", func() (as4.ClaimState, []byte, error) { return s.Claim(ctx, "m1", lease) }, as4.Fresh, ""},
		{"second claim while held", func() (as4.ClaimState, []byte, error) { return s.Claim(ctx, "m1", lease) }, as4.InProgress, ""},
		{"after release", func() (as4.ClaimState, []byte, error) {
			if err := s.Release(ctx, "m1"); err != nil {
				return 0, nil, err
			}
			return s.Claim(ctx, "m1", lease)
		}, as4.Fresh, ""},
		{"expired claim is taken over", func() (as4.ClaimState, []byte, error) {
			now = now.Add(2 * lease)
			return s.Claim(ctx, "m1", lease)
		}, as4.Fresh, ""},
		{"after complete", func() (as4.ClaimState, []byte, error) {
			if err := s.Complete(ctx, "m1", []byte("<receipt/>")); err != nil {
				return 0, nil, err
			}
			return s.Claim(ctx, "m1", lease)
		}, as4.Done, "<receipt/>"},
		{"done survives an expired lease and a release", func() (as4.ClaimState, []byte, error) {
			now = now.Add(10 * lease)
			if err := s.Release(ctx, "m1"); err != nil {
				return 0, nil, err
			}
			return s.Claim(ctx, "m1", lease)
		}, as4.Done, "<receipt/>"},
	}
	for _, st := range steps {
		state, receipt, err := st.do()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if state != st.want || string(receipt) != st.receipt {
			t.Fatalf("%s: state %v receipt %q, want %v %q", st.name, state, receipt, st.want, st.receipt)
		}
	}
	n, err := s.Purge(ctx, now.Add(time.Second))
	if err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if state, _, _ := s.Claim(ctx, "m1", lease); state != as4.Fresh {
		t.Fatalf("after purge: %v", state)
	}
}

// TestConcurrentClaimsAcrossConnections opens the same file twice, as two
// listeners in two data centres would, and races claims on the same ids.
func TestConcurrentClaimsAcrossConnections(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	stores := []*Store{open(t, path), open(t, path)}
	const ids, racers = 20, 4
	fresh := make([]int, ids)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r := 0; r < racers; r++ {
		wg.Add(1)
		go func(s *Store) {
			defer wg.Done()
			for i := 0; i < ids; i++ {
				state, _, err := s.Claim(ctx, fmt.Sprintf("m%d", i), time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if state == as4.Fresh {
					mu.Lock()
					fresh[i]++
					mu.Unlock()
				}
			}
		}(stores[r%2])
	}
	wg.Wait()
	for i, n := range fresh {
		if n != 1 {
			t.Errorf("m%d claimed fresh %d times", i, n)
		}
	}
}

func TestReceivedSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	if state, _, err := s.Claim(ctx, "m1", time.Hour); err != nil || state != as4.Fresh {
		t.Fatalf("claim: %v %v", state, err)
	}
	if err := s.Complete(ctx, "m1", []byte("<r/>")); err != nil {
		t.Fatal(err)
	}
	if state, _, err := s.Claim(ctx, "m2", time.Hour); err != nil || state != as4.Fresh {
		t.Fatalf("claim m2: %v %v", state, err)
	}
	s.Close() // crash while m2 is being processed

	s = open(t, path)
	if state, receipt, err := s.Claim(ctx, "m1", time.Hour); err != nil || state != as4.Done || string(receipt) != "<r/>" {
		t.Fatalf("m1 after reopen: %v %q %v", state, receipt, err)
	}
	if state, _, err := s.Claim(ctx, "m2", time.Hour); err != nil || state != as4.InProgress {
		t.Fatalf("m2 after reopen (lease still running): %v %v", state, err)
	}
}

// TestSentEntriesDropTheirData: a sent message's outbox entry keeps its id,
// status and receipt id but not the record it was built from (it is never
// sent again), and the file does not keep the record's space: 2,000 sent
// 1.5 KB records take less than 1 KB each (2,144 B when the rows only
// shrank). A failed entry keeps its record.
func TestSentEntriesDropTheirData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	record := []byte(strings.Repeat("x", 1500))
	const n, inFlight = 2000, 8
	id := func(i int) string { return fmt.Sprintf("%08x-aaaa-bbbb-cccc-dddddddddddd@lv", i*7919) }
	for i := range n + inFlight {
		if i < n {
			if err := s.Add(ctx, as4.OutboxEntry{MessageID: id(i), Data: record}); err != nil {
				t.Fatal(err)
			}
		}
		if i >= inFlight {
			if err := s.Finish(ctx, id(i-inFlight), "sent", "receipt-0123456789-abcdef-0123456789@de"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "failed", Data: record}); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "failed", "failed", "EBMS:0301"); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{id(0): 0, "failed": len(record)} {
		var kept int
		err := s.db.QueryRowContext(ctx, `SELECT length(o.data) + coalesce(length(d.data), 0) FROM as4_outbox o
			LEFT JOIN as4_outbox_data d ON d.message_id = o.message_id WHERE o.message_id = ?`, id).Scan(&kept)
		if err != nil {
			t.Fatal(err)
		}
		if kept != want {
			t.Errorf("entry %s keeps %d bytes of its record, want %d", id, kept, want)
		}
	}
	if status, detail, err := s.Status(ctx, id(0)); err != nil || status != "sent" || !strings.HasPrefix(detail, "receipt-") {
		t.Errorf("sent entry: status %q detail %q %v", status, detail, err)
	}
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if per := fi.Size() / n; per >= 1024 {
		t.Errorf("the outbox file holds %d bytes per sent message, want < 1 KB", per)
	}
}

// TestLazyStatementsLeaveTheConnectionDurable: claims and sent marks commit
// without waiting for the disk, and every other statement still commits
// with synchronous=FULL afterwards.
func TestLazyStatementsLeaveTheConnectionDurable(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "m", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "m", "sent", "r"); err != nil {
		t.Fatal(err)
	}
	if state, _, err := s.Claim(ctx, "in", time.Minute); err != nil || state != as4.Fresh {
		t.Fatalf("claim: %v %v", state, err)
	}
	var level int
	if err := s.db.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
		t.Fatal(err)
	}
	if level != 2 {
		t.Fatalf("synchronous = %d after lazy statements, want 2 (FULL)", level)
	}
}

// TestPendingReadsRecordsOfOlderFiles: entries added before records had
// their own table (record in as4_outbox.data) are still sent.
func TestPendingReadsRecordsOfOlderFiles(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	if _, err := s.db.ExecContext(ctx, `INSERT INTO as4_outbox(message_id, data, created_at) VALUES('old', 'old record', 1)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "new", Data: []byte("new record"), Created: time.Unix(0, 2)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got[0].Data) != "old record" || string(got[1].Data) != "new record" {
		t.Fatalf("pending: %+v", got)
	}
}

// TestGroupCommitKeepsEachWritesOutcome: concurrent writes are committed in
// groups; one write's failure (an entry that exists) fails only that write,
// concurrent claims of one MessageId still give it to one, and everything
// acknowledged is in the file after reopening.
func TestGroupCommitKeepsEachWritesOutcome(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	if err := s.Add(ctx, as4.OutboxEntry{MessageID: "old", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	added, exists, fresh := 0, 0, 0
	for i := range 60 {
		wg.Go(func() {
			switch i % 3 {
			case 0:
				err := s.Add(ctx, as4.OutboxEntry{MessageID: fmt.Sprintf("new-%d", i), Data: []byte("d")})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("add new-%d: %v", i, err)
				}
				added++
			case 1:
				err := s.Add(ctx, as4.OutboxEntry{MessageID: "old", Data: []byte("again")})
				mu.Lock()
				defer mu.Unlock()
				if !errors.Is(err, as4.ErrExists) {
					t.Errorf("add old again: %v, want ErrExists", err)
				}
				exists++
			case 2:
				state, _, err := s.Claim(ctx, "received", time.Minute)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("claim: %v", err)
				}
				if state == as4.Fresh {
					fresh++
				}
			}
		})
	}
	wg.Wait()
	if added != 20 || exists != 20 || fresh != 1 {
		t.Fatalf("added %d, exists %d, fresh claims %d; want 20, 20, 1", added, exists, fresh)
	}
	if err := s.Complete(ctx, "received", []byte("r")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	pending, err := s.Pending(ctx, 0)
	if err != nil || len(pending) != 21 {
		t.Fatalf("pending after reopen: %d entries, %v; want 21", len(pending), err)
	}
	if state, receipt, err := s.Claim(ctx, "received", time.Minute); err != nil || state != as4.Done || string(receipt) != "r" {
		t.Fatalf("claim after reopen: %v %q %v", state, receipt, err)
	}
}

// TestPendingUsesTheUnsentIndex: Pending reads the partial index of unsent
// entries, a file with the older (status, created_at) index loses it on
// opening, and sent or failed entries leave the index.
func TestPendingUsesTheUnsentIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	if _, err := s.db.ExecContext(ctx, `CREATE INDEX as4_outbox_pending ON as4_outbox(status, created_at)`); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"sent", "failed", "pending"} {
		if err := s.Add(ctx, as4.OutboxEntry{MessageID: id, Data: []byte(id), Created: time.Unix(0, int64(i))}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s = open(t, path)
	for _, id := range []string{"sent", "failed"} {
		if err := s.Finish(ctx, id, id, ""); err != nil {
			t.Fatal(err)
		}
	}
	var old int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'as4_outbox_pending'`).Scan(&old); err != nil || old != 0 {
		t.Fatalf("older index still there (%d, %v)", old, err)
	}
	var indexed int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM as4_outbox INDEXED BY as4_outbox_unsent WHERE status = ''`).Scan(&indexed); err != nil || indexed != 1 {
		t.Fatalf("%d entries in the unsent index (%v), want 1", indexed, err)
	}
	rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+sqlPending, 10)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	if !strings.Contains(strings.Join(plan, "; "), "as4_outbox_unsent") {
		t.Errorf("Pending's plan does not use the unsent index: %v", plan)
	}
	got, err := s.Pending(ctx, 10)
	if err != nil || len(got) != 1 || got[0].MessageID != "pending" {
		t.Fatalf("pending: %+v, %v", got, err)
	}
}

// TestQueuedFinishIsSeenByReads: QueueFinish returns while the writer is
// busy; Status, Pending and Close see the queued outcome, and done gets
// Finish's error.
func TestQueuedFinishIsSeenByReads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	for _, id := range []string{"a", "b", "c"} {
		if err := s.Add(ctx, as4.OutboxEntry{MessageID: id, Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	// A write that holds the writer until released.
	release, holding := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- s.inTx(ctx, false, func(*sql.Tx) error { close(holding); <-release; return nil })
	}()
	<-holding
	outcomes := make(chan error, 3)
	done := func(err error) { outcomes <- err }
	s.QueueFinish(ctx, "a", "sent", "r-a", done)
	s.QueueFinish(ctx, "zzz", "sent", "", done)
	select {
	case err := <-outcomes:
		t.Fatalf("a queued outcome was done (%v) while the writer was busy", err)
	default:
	}
	status := make(chan string, 1)
	go func() {
		st, _, err := s.Status(ctx, "a")
		if err != nil {
			t.Error(err)
		}
		status <- st
	}()
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if st := <-status; st != "sent" {
		t.Fatalf("Status after QueueFinish: %q, want sent", st)
	}
	var errs []error
	for range 2 {
		errs = append(errs, <-outcomes)
	}
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("outcomes %v: want nil for a and an error for zzz", errs)
	}
	pending, err := s.Pending(ctx, 0)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending: %d, %v; want b and c", len(pending), err)
	}
	// Close commits what is queued.
	s.QueueFinish(ctx, "b", "sent", "r-b", done)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-outcomes; err != nil {
		t.Fatal(err)
	}
	// After Close, a queued outcome fails instead of waiting forever.
	s.QueueFinish(ctx, "c", "sent", "r-c", done)
	select {
	case err := <-outcomes:
		if err == nil {
			t.Fatal("an outcome queued after Close was committed")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an outcome queued after Close never got its error")
	}
	s = open(t, path)
	if st, detail, err := s.Status(ctx, "b"); err != nil || st != "sent" || detail != "r-b" {
		t.Fatalf("b after Close and reopen: %q %q %v; want sent r-b", st, detail, err)
	}
	// Queued outcomes alone on an idle store are committed without a read
	// asking for them.
	s.QueueFinish(ctx, "c", "sent", "r-c", done)
	select {
	case err := <-outcomes:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an outcome queued on an idle store was not committed")
	}
}

// TestOlderFilesLoseTheAgeIndex: a file with the as4_received_age index of
// older versions loses it on opening and keeps its records, and Purge
// still removes exactly the records finished before the window: done
// received messages and finished outbox entries, never claims in progress
// or pending entries.
func TestOlderFilesLoseTheAgeIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "as4.db")
	s := open(t, path)
	if _, err := s.db.ExecContext(ctx, `CREATE INDEX as4_received_age ON as4_received(claimed_at)`); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) { s.now = func() time.Time { return t0.Add(d) } }
	at(0)
	for _, id := range []string{"old-done", "old-claim", "new-done"} {
		if state, _, err := s.Claim(ctx, id, time.Hour); err != nil || state != as4.Fresh {
			t.Fatalf("claim %s: %v %v", id, state, err)
		}
	}
	for _, id := range []string{"old-sent", "old-pending", "new-sent"} {
		if err := s.Add(ctx, as4.OutboxEntry{MessageID: id, Data: []byte(id)}); err != nil {
			t.Fatal(err)
		}
	}
	at(time.Minute)
	if err := s.Complete(ctx, "old-done", []byte("r1")); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "old-sent", "sent", "r"); err != nil {
		t.Fatal(err)
	}
	at(time.Hour)
	if err := s.Complete(ctx, "new-done", []byte("r2")); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "new-sent", "failed", "EBMS:0301"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, path)
	s.now = func() time.Time { return t0.Add(2 * time.Hour) }
	var indexes []string
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'as4_received' AND sql IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		indexes = append(indexes, name)
	}
	rows.Close()
	if len(indexes) != 0 {
		t.Fatalf("as4_received keeps the indexes %v after opening, want none", indexes)
	}
	n, err := s.Purge(ctx, t0.Add(30*time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("purge: %d rows, %v; want old-done and old-sent", n, err)
	}
	for id, want := range map[string]as4.ClaimState{"old-done": as4.Fresh, "old-claim": as4.InProgress, "new-done": as4.Done} {
		if state, _, err := s.Claim(ctx, id, 24*time.Hour); err != nil || state != want {
			t.Errorf("%s after purge: %v %v, want %v", id, state, err, want)
		}
	}
	for id, want := range map[string]string{"old-pending": "", "new-sent": "failed"} {
		if status, _, err := s.Status(ctx, id); err != nil || status != want {
			t.Errorf("%s after purge: %q %v, want %q", id, status, err, want)
		}
	}
	if _, _, err := s.Status(ctx, "old-sent"); !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("old-sent after purge: %v, want no rows", err)
	}
	pending, err := s.Pending(ctx, 0)
	if err != nil || len(pending) != 1 || string(pending[0].Data) != "old-pending" {
		t.Fatalf("pending after purge: %+v %v", pending, err)
	}
}

// TestPurgeWalksTheOldestRows: Purge deletes expired records in batches
// in the order they were added, keeps claims in progress and pending
// entries among them, and stops at the first batch of records added
// after the cutoff instead of reading the whole table (so a record that
// expired behind a batch of newer ones waits for a later Purge).
func TestPurgeWalksTheOldestRows(t *testing.T) {
	defer func(n int) { purgeBatch = n }(purgeBatch)
	purgeBatch = 10
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) { s.now = func() time.Time { return t0.Add(d) } }
	receive := func(id string, done bool) {
		if _, _, err := s.Claim(ctx, id, time.Hour); err != nil {
			t.Fatal(err)
		}
		if done {
			if err := s.Complete(ctx, id, []byte("r")); err != nil {
				t.Fatal(err)
			}
		}
	}
	send := func(id, status string) {
		if err := s.Add(ctx, as4.OutboxEntry{MessageID: id, Data: []byte(id), Created: s.now()}); err != nil {
			t.Fatal(err)
		}
		if status != "" {
			if err := s.Finish(ctx, id, status, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	at(0)
	for i := range 35 { // expired, over several batches, with some in progress
		receive(fmt.Sprintf("old-%d", i), i%7 != 3)
		send(fmt.Sprintf("old-%d", i), map[bool]string{true: "sent", false: ""}[i%7 != 3])
	}
	at(2 * time.Hour)
	for i := range 2 * purgeBatch { // a whole batch of newer records, wherever batches start
		receive(fmt.Sprintf("new-%d", i), true)
		send(fmt.Sprintf("new-%d", i), "failed")
	}
	at(0)
	receive("late", true) // expired, but added after the newer batch
	send("late", "sent")

	n, err := s.Purge(ctx, t0.Add(time.Hour))
	if err != nil || n != 2*30 {
		t.Fatalf("purge: %d rows, %v; want the 30 finished old records on each side", n, err)
	}
	count := func(q string) int {
		var c int
		if err := s.db.QueryRowContext(ctx, q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := count(`SELECT count(*) FROM as4_received WHERE message_id LIKE 'old-%'`); got != 5 {
		t.Errorf("%d old received records left, want the 5 in progress", got)
	}
	if got := count(`SELECT count(*) FROM as4_outbox WHERE message_id LIKE 'old-%' AND status = ''`); got != 5 {
		t.Errorf("%d old pending entries left, want 5", got)
	}
	if got := count(`SELECT count(*) FROM as4_received WHERE message_id LIKE 'new-%' OR message_id = 'late'`) +
		count(`SELECT count(*) FROM as4_outbox WHERE message_id LIKE 'new-%' OR message_id = 'late'`); got != 42 {
		t.Errorf("%d newer and late records left, want 42: the walk stopped at the newer batch", got)
	}
	if got := count(`SELECT count(*) FROM as4_outbox_data`); got != 5+20 {
		t.Errorf("%d outbox records left, want the 5 pending and 20 failed ones", got)
	}
}

// TestPurgerPurgesOnceAnInterval: a Purger purges at its first call and
// then at most once a PurgeInterval, whatever how often its loop wakes; it
// removes the records older than its retention and keeps the others.
func TestPurgerPurgesOnceAnInterval(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return t0 }
	received := func() int {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM as4_received`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	done := func(id string) {
		if _, _, err := s.Claim(ctx, id, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(ctx, id, []byte("r")); err != nil {
			t.Fatal(err)
		}
	}
	done("first")
	p := &Purger{Store: s, Retention: 24 * time.Hour}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	p.Due(ctx, t0.Add(25*time.Hour), log) // the first call purges
	if n := received(); n != 0 {
		t.Fatalf("%d records after the first purge, want 0", n)
	}
	done("second")                                       // at t0: expired too
	p.Due(ctx, t0.Add(25*time.Hour+30*time.Minute), log) // within the interval
	if n := received(); n != 1 {
		t.Fatalf("%d records after a call within the interval, want 1 (not purged yet)", n)
	}
	p.Due(ctx, t0.Add(25*time.Hour+PurgeInterval), log) // an interval after the first
	if n := received(); n != 0 {
		t.Fatalf("%d records an interval later, want 0", n)
	}
}

// TestClaimWhileItsRecordIsPurged: a MessageId claimed again while Purge
// removes its old record is either answered from the record (Done) or
// claimed afresh, never an error. Claim read the record after its
// transaction, so a purge in between left it nothing to read ("sql: no
// rows in result set", seen in a CI run of TestRunPurgesOldAS4Records).
// Each round races one Claim with one Purge of the same record.
func TestClaimWhileItsRecordIsPurged(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "as4.db"))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := t0
	s.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	for i := range 1000 {
		id := fmt.Sprintf("old-%d", i)
		setNow(t0)
		if _, _, err := s.Claim(ctx, id, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(ctx, id, []byte("receipt")); err != nil {
			t.Fatal(err)
		}
		setNow(t0.Add(48 * time.Hour))
		purged := make(chan error, 1)
		go func() {
			_, err := s.Purge(ctx, t0.Add(time.Hour))
			purged <- err
		}()
		state, _, err := s.Claim(ctx, id, time.Hour)
		if perr := <-purged; perr != nil {
			t.Fatal(perr)
		}
		if err != nil {
			t.Fatalf("round %d: claim while its record is purged: %v", i, err)
		}
		if state != as4.Done && state != as4.Fresh {
			t.Fatalf("round %d: %v, want Done or Fresh", i, state)
		}
	}
}
