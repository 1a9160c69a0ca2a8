package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 15, 9, 30, 0, 123456789, time.UTC)

// clock returns a clock that advances by step on every call.
func clock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	t := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now := t
		t = t.Add(step)
		return now
	}
}

// citizen is the person of rec's records: one chain.
const citizen = "lv:citizen:1"

func rec(i int) Record {
	actors := []string{"service", citizen}
	return Record{Actor: actors[i%2], OnBehalfOf: citizen, Action: "evidence_delivered",
		What: "BirthCertificate", LegalBasis: "SDGR art. 14", RequestID: "req-" + strings.Repeat("x", i%3)}
}

func filled(t *testing.T, n int) (*Ledger, *memStorage) {
	t.Helper()
	m := &memStorage{}
	l := New(m)
	l.Now = clock(t0, 24*time.Hour)
	for i := range n {
		if _, err := l.Append(context.Background(), rec(i)); err != nil {
			t.Fatal(err)
		}
	}
	return l, m
}

func TestCanonicalEncodingAndHashGolden(t *testing.T) {
	e := Entry{Record: Record{Actor: "clerk:7", OnBehalfOf: "lv:citizen:1", Action: "evidence_viewed",
		What: "Diploma", LegalBasis: "SDGR art. 14(1)", RequestID: "r-1"}, Seq: 3, Time: t0.Truncate(time.Microsecond)}
	e.Prev[0] = 0xab
	got := hex.EncodeToString(e.Canonical()) + "\n" + e.ComputeHash().String() + "\n"
	golden := filepath.Join("testdata", "entry.golden")
	if os.Getenv("VIENREIZ_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("canonical encoding or hash changed:\n got %s\nwant %s", got, want)
	}
	// Fields are length-prefixed: moving bytes between fields changes the hash.
	f := e
	f.Actor, f.OnBehalfOf = "clerk:7l", "v:citizen:1"
	if f.ComputeHash() == e.ComputeHash() {
		t.Fatal("shifting a byte between fields kept the hash")
	}
}

func TestAppendChainsAndVerifies(t *testing.T) {
	l, m := filled(t, 5)
	n, err := l.Verify(context.Background())
	if err != nil || n != 5 {
		t.Fatalf("Verify = %d, %v", n, err)
	}
	for i, e := range m.entries {
		if e.Seq != int64(i+1) {
			t.Fatalf("entry %d has Seq %d", i, e.Seq)
		}
		if i > 0 && e.Prev != m.entries[i-1].Hash {
			t.Fatalf("entry %d does not link to %d", e.Seq, e.Seq-1)
		}
		if e.Time.Nanosecond()%1000 != 0 {
			t.Fatalf("time %v kept sub-microsecond precision the databases drop", e.Time)
		}
	}
	if (m.entries[0].Prev != Hash{}) {
		t.Fatal("first entry does not start from the zero hash")
	}
}

func TestVerifyFindsFirstTamperedEntry(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(m *memStorage)
		seq    int64
		reason string
	}{
		{"changed field", func(m *memStorage) { m.entries[2].What = "Passport" }, 3, "changed"},
		{"changed time", func(m *memStorage) { m.entries[1].Time = m.entries[1].Time.Add(time.Second) }, 2, "changed"},
		{"rewritten with recomputed hash", func(m *memStorage) {
			m.entries[2].LegalBasis = "none"
			m.entries[2].Hash = m.entries[2].ComputeHash()
		}, 3, "rewritten"},
		{"deleted in the middle", func(m *memStorage) { m.entries = append(m.entries[:3:3], m.entries[4:]...) }, 4, "missing"},
		{"deleted at the end", func(m *memStorage) { m.entries = m.entries[:5] }, 6, "missing"},
		{"swapped two entries", func(m *memStorage) { m.entries[1], m.entries[2] = m.entries[2], m.entries[1] }, 2, "missing"},
		{"inserted after the head", func(m *memStorage) {
			e := m.entries[5]
			e.Seq, e.Prev = 7, e.Hash
			e.Hash = e.ComputeHash()
			m.entries = append(m.entries, e)
		}, 7, "inserted"},
		{"head moved", func(m *memStorage) { m.bounds[citizen].Head.Hash[0] ^= 1 }, 6, "head"},
		{"anchor forged", func(m *memStorage) { m.bounds[citizen].Anchor.Hash[0] ^= 1 }, 1, "anchor"},
		{"prev hash of one entry changed", func(m *memStorage) { m.entries[3].Prev[5] ^= 1 }, 4, "changed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, m := filled(t, 6)
			tc.tamper(m)
			_, err := l.Verify(context.Background())
			var ce *ChainError
			if !errors.As(err, &ce) || !errors.Is(err, ErrTampered) {
				t.Fatalf("Verify = %v, want a ChainError", err)
			}
			if ce.Seq != tc.seq || !strings.Contains(ce.Reason, tc.reason) {
				t.Fatalf("Verify = %v, want entry %d (%s)", err, tc.seq, tc.reason)
			}
		})
	}
}

func TestPurgeKeepsRemainingChainVerifiable(t *testing.T) {
	ctx := context.Background()
	l, m := filled(t, 500) // one entry a day from 15 Jan 2026
	now := t0.AddDate(0, 0, 500)
	n, err := l.Purge(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	cutoff := now.AddDate(0, -12, 0)
	if len(m.entries) == 0 || m.entries[0].Time.Before(cutoff) || n+len(m.entries) != 500 {
		t.Fatalf("purged %d, kept %d starting %v; cutoff %v", n, len(m.entries), m.entries[0].Time, cutoff)
	}
	if a := m.bounds[citizen].Anchor; a.Seq != int64(n) {
		t.Fatalf("anchor at %d after purging %d", a.Seq, n)
	}
	if checked, err := l.Verify(ctx); err != nil || checked != int64(len(m.entries)) {
		t.Fatalf("after purge Verify = %d, %v", checked, err)
	}
	if _, err := l.Append(ctx, rec(1)); err != nil {
		t.Fatal(err)
	}
	if again, err := l.Purge(ctx, now); err != nil || again != 0 {
		t.Fatalf("second purge deleted %d, %v", again, err)
	}
	if _, err := l.Verify(ctx); err != nil {
		t.Fatalf("after append following purge: %v", err)
	}
	m.entries = m.entries[1:] // the oldest kept entry disappears
	if _, err := l.Verify(ctx); !errors.Is(err, ErrTampered) {
		t.Fatalf("loss right after the anchor not found: %v", err)
	}
}

func TestAppendRefusesBadRecords(t *testing.T) {
	good := rec(0)
	tests := []struct {
		name, field string
		mod         func(r *Record)
	}{
		{"no actor", "Actor", func(r *Record) { r.Actor = "" }},
		{"no subject", "OnBehalfOf", func(r *Record) { r.OnBehalfOf = "" }},
		{"no action", "Action", func(r *Record) { r.Action = "" }},
		{"action with spaces", "Action", func(r *Record) { r.Action = "evidence viewed" }},
		{"action with formula", "Action", func(r *Record) { r.Action = "=cmd" }},
		{"oversize field", "What", func(r *Record) { r.What = strings.Repeat("a", MaxField+1) }},
		{"invalid UTF-8", "LegalBasis", func(r *Record) { r.LegalBasis = "art\xff" }},
		{"newline injection", "RequestID", func(r *Record) { r.RequestID = "r1\nforged,row" }},
		{"NUL byte", "Actor", func(r *Record) { r.Actor = "a\x00b" }},
		{"unicode line separator", "What", func(r *Record) { r.What = "a\u2028b" }},
		{"bidi-free C1 control", "What", func(r *Record) { r.What = "a\u0085b" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, m := filled(t, 0)
			r := good
			tc.mod(&r)
			_, err := l.Append(context.Background(), r)
			if !errors.Is(err, ErrInvalidRecord) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("error = %v, want ErrInvalidRecord naming %s", err, tc.field)
			}
			if len(m.entries) != 0 {
				t.Fatal("refused record was stored")
			}
		})
	}
}

func TestExportsOneCitizen(t *testing.T) {
	ctx := context.Background()
	m := &memStorage{}
	l := New(m)
	l.Now = clock(t0, time.Hour)
	records := []Record{
		{Actor: "lv:citizen:1", OnBehalfOf: "lv:citizen:1", Action: "explicit_request_given", What: "=HYPERLINK(\"http://evil\")", LegalBasis: "SDGR art. 14", RequestID: "r1"},
		{Actor: "service", OnBehalfOf: "lv:citizen:2", Action: "evidence_delivered", What: "Diploma", RequestID: "r2"},
		{Actor: "clerk:9", OnBehalfOf: "lv:citizen:1", Action: "evidence_viewed", What: "+1+1", LegalBasis: "@SUM(A1)", RequestID: "-2"},
		{Actor: "lv:citizen:1", OnBehalfOf: "lv:company:40003", Action: "explicit_request_given", What: "  =1", RequestID: "r3"},
	}
	for _, r := range records {
		if _, err := l.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	var js bytes.Buffer
	if err := l.ExportJSON(ctx, &js, "lv:citizen:1"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Person  string `json:"person"`
		Entries []struct {
			Chain string `json:"chain"`
			Seq   int64  `json:"seq"`
			What  string `json:"what"`
			Hash  Hash   `json:"hash"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	// Two entries of the citizen's own chain, and one in the company's
	// chain where the citizen acted.
	if doc.Person != "lv:citizen:1" || len(doc.Entries) != 3 || doc.Entries[0].Seq != 1 || doc.Entries[1].Seq != 2 || doc.Entries[2].Seq != 1 || doc.Entries[2].Chain != "lv:company:40003" {
		t.Fatalf("JSON export = %s", js.String())
	}
	if doc.Entries[0].What != records[0].What || doc.Entries[2].Hash != m.entries[3].Hash {
		t.Fatal("JSON export altered values")
	}

	var cs bytes.Buffer
	if err := l.ExportCSV(ctx, &cs, "lv:citizen:1"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "chain,seq,time,actor,on_behalf_of,action,what,legal_basis,request_id,hash" {
		t.Fatalf("CSV rows = %q", rows)
	}
	checks := map[string]string{
		rows[1][6]: `'=HYPERLINK("http://evil")`, rows[2][6]: "'+1+1", rows[2][7]: "'@SUM(A1)", rows[2][8]: "'-2", rows[3][6]: "'  =1",
		rows[1][3]: "lv:citizen:1", rows[2][9]: m.entries[2].Hash.String(), rows[3][0]: "lv:company:40003",
	}
	for got, want := range checks {
		if got != want {
			t.Errorf("CSV cell %q, want %q", got, want)
		}
	}
	if err := l.ExportCSV(ctx, &cs, " "); err == nil {
		t.Fatal("export for an empty person accepted")
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+2": "'=1+2", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx",
		"\rx": "'\rx", " =x": "' =x", "a=b": "a=b", "2026-01-15": "2026-01-15",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConcurrentAppendsNeverFork(t *testing.T) {
	l, m := filled(t, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if _, err := l.Append(context.Background(), rec(g+i)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n, err := l.Verify(context.Background()); err != nil || n != 400 || len(m.entries) != 400 {
		t.Fatalf("Verify = %d, %v", n, err)
	}
}

func TestParseHash(t *testing.T) {
	h := sha(1)
	p, err := ParseHash(h.String())
	if err != nil || p != h {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("z", 64), strings.Repeat("a", 65)} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q) accepted", bad)
		}
	}
}

func sha(b byte) Hash {
	var h Hash
	for i := range h {
		h[i] = b + byte(i)
	}
	return h
}

// BenchmarkAppendMemory measures Append over in-memory storage (record
// checks, canonical encoding, hashing) against the baseline of hashing the
// same canonical bytes alone.
func BenchmarkAppendMemory(b *testing.B) {
	ctx := context.Background()
	r := rec(1)
	b.Run("baseline-sha256-of-canonical", func(b *testing.B) {
		e := Entry{Record: r, Seq: 1, Time: t0}
		b.ReportAllocs()
		for b.Loop() {
			_ = e.ComputeHash()
		}
	})
	b.Run("append", func(b *testing.B) {
		l := New(&memStorage{})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.Append(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
