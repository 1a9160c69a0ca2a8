package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// rehashTail rewrites entries from seq on of chain in the database with
// new content and fresh hashes, and moves the head: the chain links
// again, as an attacker with database access would leave it.
func rehashTail(t *testing.T, s *Store, chain string, from int64) {
	t.Helper()
	ctx := context.Background()
	es, err := s.Ledger().Entries(ctx, chain, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var prev ledger.Hash
	for _, e := range es {
		if e.Seq >= from {
			e.What, e.Prev = "rewritten", prev
			e.Hash = e.ComputeHash()
			if _, err := s.w.ExecContext(ctx, s.q(`UPDATE ledger_entries SET what = ?, prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?`),
				e.What, e.Prev.String(), e.Hash.String(), chain, e.Seq); err != nil {
				t.Fatal(err)
			}
			if _, err := s.w.ExecContext(ctx, s.q(`UPDATE ledger_heads SET head_hash = ? WHERE chain = ?`), e.Hash.String(), chain); err != nil {
				t.Fatal(err)
			}
		}
		prev = e.Hash
	}
}

// TestLedgerStoreEveryTamperKindFound: on both databases, each kind of
// tampering after a checkpoint is found by Verify with the anchor file:
// change, delete, reorder, re-hash the tail, truncate, wipe.
func TestLedgerStoreEveryTamperKindFound(t *testing.T) {
	ctx := context.Background()
	const person = "lv:citizen:0"
	tests := []struct {
		name   string
		tamper func(t *testing.T, s *Store)
		reason string
	}{
		{"change", func(t *testing.T, s *Store) {
			exec(t, s, `UPDATE ledger_entries SET what = 'Passport' WHERE chain = ? AND seq = 3`, person)
		}, "changed"},
		{"delete", func(t *testing.T, s *Store) {
			exec(t, s, `DELETE FROM ledger_entries WHERE chain = ? AND seq = 4`, person)
		}, "missing"},
		{"reorder", func(t *testing.T, s *Store) {
			exec(t, s, `UPDATE ledger_entries SET seq = -2 WHERE chain = ? AND seq = 2`, person)
			exec(t, s, `UPDATE ledger_entries SET seq = 2 WHERE chain = ? AND seq = 3`, person)
			exec(t, s, `UPDATE ledger_entries SET seq = 3 WHERE chain = ? AND seq = -2`, person)
		}, "changed"},
		{"re-hash the tail", func(t *testing.T, s *Store) { rehashTail(t, s, person, 3) }, "checkpointed"},
		{"truncate", func(t *testing.T, s *Store) {
			exec(t, s, `DELETE FROM ledger_entries WHERE chain = ? AND seq > 4`, person)
			exec(t, s, `UPDATE ledger_heads SET head_seq = 4, head_hash = (SELECT hash FROM ledger_entries WHERE chain = ? AND seq = 4) WHERE chain = ?`, person, person)
		}, "cut back"},
		{"wipe", func(t *testing.T, s *Store) {
			exec(t, s, `DELETE FROM ledger_entries`)
			exec(t, s, `DELETE FROM ledger_heads`)
		}, "wiped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for name, s := range testStores(t) {
				l := ledger.New(s.Ledger())
				a, err := ledger.OpenAnchor(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				l.Anchor = a
				for i := range 18 { // 6 entries for each of 3 people
					if _, err := l.Append(ctx, ledgerRecord(i)); err != nil {
						t.Fatal(err)
					}
				}
				if n, err := l.Checkpoint(ctx); err != nil || n != 3 {
					t.Fatalf("%s: Checkpoint = %d, %v", name, n, err)
				}
				if _, err := l.Verify(ctx); err != nil {
					t.Fatalf("%s: before tampering: %v", name, err)
				}
				tc.tamper(t, s)
				_, err = l.Verify(ctx)
				var ce *ledger.ChainError
				if !errors.As(err, &ce) || !strings.Contains(ce.Reason, tc.reason) {
					t.Fatalf("%s: Verify = %v, want a ChainError saying %q", name, err, tc.reason)
				}
			}
		})
	}
}

func exec(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	if _, err := s.w.ExecContext(context.Background(), s.q(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
