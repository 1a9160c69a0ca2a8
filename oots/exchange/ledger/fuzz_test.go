package ledger

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

func FuzzParseHash(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add("")
	f.Add(strings.Repeat("é", 32))
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHash(s)
		if err == nil && h.String() != strings.ToLower(s) {
			t.Fatalf("ParseHash(%q) = %s", s, h)
		}
	})
}

// FuzzRecordAndCSV feeds arbitrary field values: a record is either
// refused or appended, verified and exported as CSV that reads back to the
// same values, with no cell a spreadsheet would run as a formula.
func FuzzRecordAndCSV(f *testing.F) {
	f.Add("lv:citizen:1", "=cmd|' /C calc'!A0", "@SUM(1)", "-1")
	f.Add("a\"b,c", "x\ny", "+", "\t=1")
	f.Fuzz(func(t *testing.T, person, what, basis, req string) {
		ctx := context.Background()
		l := New(&memStorage{})
		l.Now = func() time.Time { return t0 }
		r := Record{Actor: person, OnBehalfOf: person, Action: "evidence_viewed", What: what, LegalBasis: basis, RequestID: req}
		if _, err := l.Append(ctx, r); err != nil {
			if r.Validate() == nil {
				t.Fatalf("valid record refused: %v", err)
			}
			return
		}
		if _, err := l.Verify(ctx); err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(person) == "" {
			return
		}
		var buf bytes.Buffer
		if err := l.ExportCSV(ctx, &buf, person); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("CSV does not read back: %v %q", err, rows)
		}
		for i, want := range []string{person, person, "evidence_viewed", what, basis, req} {
			got := rows[1][3+i]
			if got != want && got != "'"+want {
				t.Fatalf("cell %d = %q, want %q", 3+i, got, want)
			}
			if c := strings.TrimLeft(got, " "); c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Fatalf("cell %q starts a formula", got)
			}
		}
	})
}
