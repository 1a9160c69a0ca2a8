package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/pgtest"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// sharedStores opens two Store handles on one database — as two service
// processes would — for SQLite and, when configured, PostgreSQL.
func sharedStores(t *testing.T) map[string][2]*Store {
	t.Helper()
	ctx := context.Background()
	out := map[string][2]*Store{}
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "shared.db")}
	if dsn := pgtest.Fresh(t); dsn != "" {
		dsns["postgres"] = dsn
	}
	for name, dsn := range dsns {
		var pair [2]*Store
		for i := range pair {
			s, err := Open(ctx, dsn, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			pair[i] = s
		}
		out[name] = pair
	}
	return out
}

// dayClock starts at start and moves one day per call.
func dayClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	t := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now := t
		t = t.AddDate(0, 0, 1)
		return now
	}
}

func ledgerRecord(i int) ledger.Record {
	return ledger.Record{Actor: "service", OnBehalfOf: fmt.Sprintf("lv:citizen:%d", i%3), Action: "evidence_delivered",
		What: "BirthCertificate", LegalBasis: "SDGR art. 14", RequestID: fmt.Sprintf("req-%d", i)}
}

func TestLedgerStoreAppendVerifyPurgeExport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			l := ledger.New(s.Ledger())
			l.Now = dayClock(now.AddDate(0, 0, -450).Add(123456789 * time.Nanosecond))
			for i := range 40 {
				if _, err := l.Append(ctx, ledgerRecord(i)); err != nil {
					t.Fatal(err)
				}
			}
			// The last 40 days: a year later, keep 40 fresh entries.
			l.Now = dayClock(now.AddDate(0, 0, -39))
			for i := range 40 {
				if _, err := l.Append(ctx, ledgerRecord(i)); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := l.Verify(ctx); err != nil || n != 80 {
				t.Fatalf("Verify = %d, %v", n, err)
			}
			purged, err := l.Purge(ctx, now)
			if err != nil || purged != 40 {
				t.Fatalf("Purge = %d, %v; want the 40 entries older than 12 months", purged, err)
			}
			if n, err := l.Verify(ctx); err != nil || n != 40 {
				t.Fatalf("Verify after purge = %d, %v", n, err)
			}
			chains, err := s.Ledger().Chains(ctx)
			var anchors, heads int64
			for _, c := range chains {
				anchors, heads = anchors+c.Anchor.Seq, heads+c.Head.Seq
			}
			if err != nil || len(chains) != 3 || anchors != 40 || heads != 80 {
				t.Fatalf("Chains = %+v %v; want 3 chains, 40 purged of 80", chains, err)
			}
			if _, err := l.Append(ctx, ledgerRecord(1)); err != nil {
				t.Fatal(err)
			}
			if n, err := l.Verify(ctx); err != nil || n != 41 {
				t.Fatalf("Verify after purge and append = %d, %v", n, err)
			}
			var buf bytes.Buffer
			if err := l.ExportCSV(ctx, &buf, "lv:citizen:1"); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			// Entries 41..80 with i%3 == 1 (i = 1, 4, …, 37: 13) plus the one just added.
			if err != nil || len(rows) != 1+14 || rows[1][4] != "lv:citizen:1" || rows[1][0] != "lv:citizen:1" {
				t.Fatalf("CSV export: %d rows, %v", len(rows), err)
			}
		})
	}
}

func TestLedgerStoreTamperingFound(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, sql string
		seq       int64
	}{
		{"field changed in the database", `UPDATE ledger_entries SET what = 'Passport' WHERE seq = 3`, 3},
		{"time changed in the database", `UPDATE ledger_entries SET at_us = at_us + 1 WHERE seq = 2`, 2},
		{"hash column garbled", `UPDATE ledger_entries SET hash = 'zz' WHERE seq = 4`, 4},
		{"entry deleted", `DELETE FROM ledger_entries WHERE seq = 5`, 5},
		{"last entry deleted", `DELETE FROM ledger_entries WHERE seq = 6`, 6},
		{"head rolled back", `UPDATE ledger_heads SET head_seq = 5`, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for name, s := range testStores(t) {
				l := ledger.New(s.Ledger())
				for i := range 6 {
					if _, err := l.Append(ctx, ledgerRecord(3*i)); err != nil { // one person: one chain
						t.Fatal(err)
					}
				}
				if _, err := l.Verify(ctx); err != nil {
					t.Fatalf("%s: before tampering: %v", name, err)
				}
				if _, err := s.db.ExecContext(ctx, tc.sql); err != nil {
					t.Fatal(err)
				}
				_, err := l.Verify(ctx)
				var ce *ledger.ChainError
				if !errors.As(err, &ce) || ce.Seq != tc.seq {
					t.Fatalf("%s: Verify = %v, want entry %d named", name, err, tc.seq)
				}
			}
		})
	}
}

func TestLedgerStoreConcurrentAppendsFromTwoHandles(t *testing.T) {
	ctx := context.Background()
	for name, pair := range sharedStores(t) {
		t.Run(name, func(t *testing.T) {
			var wg sync.WaitGroup
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					l := ledger.New(pair[w%2].Ledger())
					for i := range 25 {
						if _, err := l.Append(ctx, ledgerRecord(w*100+i)); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			if n, err := ledger.New(pair[1].Ledger()).Verify(ctx); err != nil || n != 100 {
				t.Fatalf("after concurrent appends Verify = %d, %v", n, err)
			}
		})
	}
}

func TestLedgerStoreRefusesEntryNotFollowingHead(t *testing.T) {
	for name, s := range testStores(t) {
		_, err := s.Ledger().AppendEntry(context.Background(), "x", func(h ledger.Head) (ledger.Entry, error) {
			return ledger.Entry{Chain: "x", Seq: h.Seq + 2}, nil
		})
		if err == nil || !strings.Contains(err.Error(), "does not follow") {
			t.Fatalf("%s: forked entry accepted: %v", name, err)
		}
	}
}

// benchStores opens a fresh SQLite store and, when configured, a
// PostgreSQL one, for benchmarks.
func benchStores(b *testing.B) map[string]*Store {
	b.Helper()
	ctx := context.Background()
	out := map[string]*Store{}
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	out["sqlite"] = s
	if dsn := pgtest.Fresh(b); dsn != "" {
		p, err := Open(ctx, dsn, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { p.Close() })
		out["postgres"] = p
	}
	return out
}

// BenchmarkLedgerAppend compares a chained append (lock head, insert,
// move head, one transaction) with the baseline of one plain INSERT in its
// own transaction (a job enqueue) on the same database.
func BenchmarkLedgerAppend(b *testing.B) {
	ctx := context.Background()
	for name, s := range benchStores(b) {
		b.Run(name+"/baseline-plain-insert", func(b *testing.B) {
			q := s.Jobs()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := q.Enqueue(ctx, NewJob{Kind: "bench", Payload: "x", RunAt: jobT0.Add(1000 * time.Hour)}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/chained-append", func(b *testing.B) {
			l := ledger.New(s.Ledger())
			r := ledgerRecord(1)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Append(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLedgerVerify verifies a chain of 5000 entries on SQLite against
// the baseline of reading the same entries without checking them.
func BenchmarkLedgerVerify(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "verify.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l := ledger.New(s.Ledger())
	const n = 5000
	for i := range n {
		if _, err := l.Append(ctx, ledgerRecord(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("baseline-read-all", func(b *testing.B) {
		for b.Loop() {
			chains, err := s.Ledger().Chains(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range chains {
				var after int64
				for {
					es, err := s.Ledger().Entries(ctx, c.Chain, after, 1000)
					if err != nil {
						b.Fatal(err)
					}
					if len(es) == 0 {
						break
					}
					after = es[len(es)-1].Seq
				}
			}
		}
	})
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if c, err := l.Verify(ctx); err != nil || c != n {
				b.Fatal(c, err)
			}
		}
	})
}
