package ledger

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// exported is one entry in the JSON export.
type exported struct {
	Seq        int64     `json:"seq"`
	Time       time.Time `json:"time"`
	Actor      string    `json:"actor"`
	OnBehalfOf string    `json:"on_behalf_of"`
	Action     string    `json:"action"`
	What       string    `json:"what,omitempty"`
	LegalBasis string    `json:"legal_basis,omitempty"`
	RequestID  string    `json:"request_id,omitempty"`
	Prev       Hash      `json:"prev"`
	Hash       Hash      `json:"hash"`
}

// csvHeader names the CSV export's columns.
func csvHeader() []string {
	return []string{"seq", "time", "actor", "on_behalf_of", "action", "what", "legal_basis", "request_id", "hash"}
}

func (l *Ledger) about(ctx context.Context, person string) ([]Entry, error) {
	if strings.TrimSpace(person) == "" {
		return nil, errors.New("ledger: export: empty person")
	}
	es, err := l.store.EntriesAbout(ctx, person)
	if err != nil {
		return nil, fmt.Errorf("ledger: export: %w", err)
	}
	return es, nil
}

// ExportJSON writes the entries where person acted or was acted for, as a
// JSON object {"person", "entries": [...]}, each entry with its hashes so
// the citizen can check them.
func (l *Ledger) ExportJSON(ctx context.Context, w io.Writer, person string) error {
	es, err := l.about(ctx, person)
	if err != nil {
		return err
	}
	out := struct {
		Person  string     `json:"person"`
		Entries []exported `json:"entries"`
	}{Person: person, Entries: make([]exported, 0, len(es))}
	for _, e := range es {
		out.Entries = append(out.Entries, exported{e.Seq, e.Time, e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID, e.Prev, e.Hash})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("ledger: export JSON: %w", err)
	}
	return nil
}

// ExportCSV writes the same entries as CSV with a header row. Cells a
// spreadsheet would run as a formula are neutralised (see SafeCell).
func (l *Ledger) ExportCSV(ctx context.Context, w io.Writer, person string) error {
	es, err := l.about(ctx, person)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return fmt.Errorf("ledger: export CSV: %w", err)
	}
	for _, e := range es {
		row := []string{strconv.FormatInt(e.Seq, 10), e.Time.Format(time.RFC3339Nano), e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID, e.Hash.String()}
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("ledger: export CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("ledger: export CSV: %w", err)
	}
	return nil
}

// SafeCell returns s so that spreadsheets show it as text: a cell starting
// with =, +, -, @, tab or carriage return (also after leading spaces) gets
// a leading apostrophe, the OWASP advice against CSV injection.
func SafeCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	return s
}
