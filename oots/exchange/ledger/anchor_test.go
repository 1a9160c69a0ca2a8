package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// anchored is a ledger over memory with an anchor file, holding n entries
// of citizen's chain and n of another person's, checkpointed.
func anchored(t *testing.T, n int) (*Ledger, *memStorage) {
	t.Helper()
	ctx := context.Background()
	l, m := filled(t, n)
	a, err := OpenAnchor(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l.Anchor = a
	for i := range n {
		if _, err := l.Append(ctx, Record{Actor: "service", OnBehalfOf: "lv:citizen:2", Action: "evidence_delivered", RequestID: strings.Repeat("r", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	if k, err := l.Checkpoint(ctx); err != nil || k != 2 {
		t.Fatalf("Checkpoint = %d, %v; want the 2 chains", k, err)
	}
	if k, err := l.Checkpoint(ctx); err != nil || k != 0 {
		t.Fatalf("second Checkpoint with nothing new = %d, %v", k, err)
	}
	return l, m
}

// rehashFrom rewrites citizen's chain from entry seq on with new content
// and fresh hashes, head included: the chain links again.
func rehashFrom(m *memStorage, seq int64) {
	var prev Hash
	for i := range m.entries {
		e := &m.entries[i]
		if e.Chain != citizen {
			continue
		}
		if e.Seq >= seq {
			e.What, e.Prev = "rewritten", prev
			e.Hash = e.ComputeHash()
			m.bounds[citizen].Head = Head{Seq: e.Seq, Hash: e.Hash}
		}
		prev = e.Hash
	}
}

// TestVerifyDetectsEveryTamperKind: each kind of tampering with the
// database after a checkpoint is found, including those that leave a
// chain that links (re-hashing the tail, cutting it back, wiping it).
func TestVerifyDetectsEveryTamperKind(t *testing.T) {
	ofCitizen := func(m *memStorage) []int {
		var idx []int
		for i, e := range m.entries {
			if e.Chain == citizen {
				idx = append(idx, i)
			}
		}
		return idx
	}
	tests := []struct {
		name   string
		tamper func(m *memStorage)
		reason string
	}{
		{"change", func(m *memStorage) { m.entries[ofCitizen(m)[2]].What = "Passport" }, "changed"},
		{"delete", func(m *memStorage) { i := ofCitizen(m)[3]; m.entries = append(m.entries[:i:i], m.entries[i+1:]...) }, "missing"},
		{"reorder", func(m *memStorage) {
			c := ofCitizen(m)
			m.entries[c[1]], m.entries[c[2]] = m.entries[c[2]], m.entries[c[1]]
		}, "missing"},
		{"re-hash the tail", func(m *memStorage) { rehashFrom(m, 4) }, "checkpointed"},
		{"truncate", func(m *memStorage) {
			c := ofCitizen(m)
			keep := c[2]
			m.entries = append(m.entries[:keep+1:keep+1], m.entries[c[len(c)-1]+1:]...)
			kept := m.entries[keep]
			m.bounds[citizen].Head = Head{Seq: kept.Seq, Hash: kept.Hash}
		}, "cut back"},
		{"wipe", func(m *memStorage) {
			var rest []Entry
			for _, e := range m.entries {
				if e.Chain != citizen {
					rest = append(rest, e)
				}
			}
			m.entries = rest
			delete(m.bounds, citizen)
			delete(m.saved, citizen)
		}, "wiped"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, m := anchored(t, 6)
			if _, err := l.Verify(context.Background()); err != nil {
				t.Fatalf("before tampering: %v", err)
			}
			tc.tamper(m)
			_, err := l.Verify(context.Background())
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Chain != citizen || !strings.Contains(ce.Reason, tc.reason) {
				t.Fatalf("Verify = %v, want a ChainError of %s saying %q", err, citizen, tc.reason)
			}
			// Without the anchor, the linked-again kinds pass unnoticed:
			// the checkpoint is what catches them.
			l.Anchor = nil
			if _, err := l.Verify(context.Background()); err == nil && tc.reason != "checkpointed" && tc.reason != "cut back" && tc.reason != "wiped" {
				t.Fatalf("%s not found by the chain alone", tc.name)
			}
		})
	}
}

// TestAnchorFileTamperingIsFound: a forged or lost line of the anchor
// file is reported.
func TestAnchorFileTamperingIsFound(t *testing.T) {
	ctx := context.Background()
	l, _ := anchored(t, 3)
	data, err := os.ReadFile(l.Anchor.Path())
	if err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(data, []byte(`"seq":3`), []byte(`"seq":2`), 1)
	if err := os.WriteFile(l.Anchor.Path(), forged, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Verify(ctx); !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("forged line: %v", err)
	}
	if err := os.WriteFile(l.Anchor.Path(), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Verify(ctx); !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), "missing from the anchor file") {
		t.Fatalf("emptied anchor file: %v", err)
	}
}

// TestSavedExportProvesLaterTampering: the citizen saves an export (with
// its signed checkpoint); the service's database is later rewritten; the
// saved checkpoint no longer holds against a new export.
func TestSavedExportProvesLaterTampering(t *testing.T) {
	ctx := context.Background()
	l, m := anchored(t, 5)
	export := func() *Export {
		var buf bytes.Buffer
		if err := l.ExportJSON(ctx, &buf, citizen); err != nil {
			t.Fatal(err)
		}
		var x Export
		if err := json.Unmarshal(buf.Bytes(), &x); err != nil {
			t.Fatal(err)
		}
		return &x
	}
	saved := export()
	if saved.Checkpoint == nil || saved.Checkpoint.Seq != 5 {
		t.Fatalf("export checkpoint %+v, want the head 5", saved.Checkpoint)
	}
	if err := saved.Check(l.Anchor.PublicKey()); err != nil {
		t.Fatalf("a fresh export does not check: %v", err)
	}
	// More entries and a new checkpoint: the old one still holds.
	if _, err := l.Append(ctx, rec(9)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if err := export().Holds(*saved.Checkpoint); err != nil {
		t.Fatalf("honest growth breaks the saved checkpoint: %v", err)
	}
	rehashFrom(m, 3)
	later := export()
	if err := later.Holds(*saved.Checkpoint); !errors.Is(err, ErrTampered) {
		t.Fatalf("saved checkpoint holds against a rewritten chain: %v", err)
	}
	forged := *saved
	forged.Checkpoint = &Checkpoint{Chain: citizen, Seq: 5, Hash: later.Entries[4].Hash, Time: time.Now(), Key: saved.Checkpoint.Key, Sig: saved.Checkpoint.Sig}
	if err := forged.Checkpoint.Check(nil); !errors.Is(err, ErrTampered) {
		t.Fatalf("a checkpoint with a swapped hash verifies: %v", err)
	}
}

// TestChainsArePerPerson: each person's entries form their own chain, so
// appends for different people do not depend on each other, and all
// verify.
func TestChainsArePerPerson(t *testing.T) {
	l, m := anchored(t, 4)
	seqs := map[string][]int64{}
	for _, e := range m.entries {
		seqs[e.Chain] = append(seqs[e.Chain], e.Seq)
	}
	for chain, s := range seqs {
		if len(s) != 4 || s[0] != 1 || s[3] != 4 {
			t.Fatalf("chain %s: seqs %v", chain, s)
		}
	}
	if n, err := l.Verify(context.Background()); err != nil || n != 8 {
		t.Fatalf("Verify = %d, %v", n, err)
	}
}

// TestACheckpointTornByACrashIsNotTampering: the machine lost power while
// a checkpoint line was being appended, leaving its start. The ledger
// still verifies against the lines before it (it read TAMPERED for good),
// the next checkpoint goes on a line of its own and counts, and a line
// that is not the start of one still reads as tampering.
func TestACheckpointTornByACrashIsNotTampering(t *testing.T) {
	ctx := context.Background()
	l, _ := anchored(t, 3)
	data, err := os.ReadFile(l.Anchor.Path())
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	torn := lines[0][:len(lines[0])/2]
	appendTo := func(b []byte) {
		f, err := os.OpenFile(l.Anchor.Path(), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	appendTo(torn)
	if n, err := l.Verify(ctx); err != nil || n != 6 {
		t.Fatalf("after a torn checkpoint: %d entries, %v", n, err)
	}
	if _, err := l.Append(ctx, rec(9)); err != nil {
		t.Fatal(err)
	}
	if k, err := l.Checkpoint(ctx); err != nil || k != 1 {
		t.Fatalf("the next checkpoint: %d chains, %v", k, err)
	}
	latest, err := l.Anchor.Latest()
	if err != nil || latest[citizen].Seq != 4 {
		t.Fatalf("the checkpoint after the torn line: %+v, %v", latest[citizen], err)
	}
	if n, err := l.Verify(ctx); err != nil || n != 7 {
		t.Fatalf("after the next checkpoint: %d entries, %v", n, err)
	}
	appendTo([]byte("}" + string(lines[0][1:])))
	if _, err := l.Verify(ctx); !errors.Is(err, ErrTampered) {
		t.Fatalf("a line that is no checkpoint's start: %v", err)
	}
}
