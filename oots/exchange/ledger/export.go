package ledger

import (
	"context"
	"crypto/ed25519"
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
	Chain      string    `json:"chain"`
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
	return []string{"chain", "seq", "time", "actor", "on_behalf_of", "action", "what", "legal_basis", "request_id", "hash"}
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

// Export is the JSON export of one person's entries: every entry of the
// person's chain (and those where the person acted in others' chains),
// with hashes, and the latest signed checkpoint of the person's chain.
type Export struct {
	Person     string      `json:"person"`
	Entries    []exported  `json:"entries"`
	Checkpoint *Checkpoint `json:"checkpoint,omitempty"`
}

// ExportJSON writes the entries where person acted or was acted for, as
// an Export, each entry with its hashes and the person's latest
// checkpoint, so the citizen can check them and later prove tampering.
func (l *Ledger) ExportJSON(ctx context.Context, w io.Writer, person string) error {
	es, err := l.about(ctx, person)
	if err != nil {
		return err
	}
	out := Export{Person: person, Entries: make([]exported, 0, len(es))}
	for _, e := range es {
		out.Entries = append(out.Entries, exported{e.Chain, e.Seq, e.Time, e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID, e.Prev, e.Hash})
	}
	if out.Checkpoint, err = l.store.LatestCheckpoint(ctx, person); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("ledger: export JSON: %w", err)
	}
	return nil
}

// Check verifies an export on its own: each entry of the person's chain
// matches its hash and links to the one before, and the checkpoint (if
// any) is signed by key (any key when nil) and names an entry of the
// chain with the same hash.
func (x *Export) Check(key ed25519.PublicKey) error {
	var prev *exported
	for i := range x.Entries {
		e := &x.Entries[i]
		if e.Chain != x.Person {
			continue
		}
		full := Entry{Record: Record{e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID}, Chain: e.Chain, Seq: e.Seq, Time: e.Time, Prev: e.Prev, Hash: e.Hash}
		if full.ComputeHash() != e.Hash {
			return &ChainError{Chain: e.Chain, Seq: e.Seq, Reason: "content does not match its hash (changed)"}
		}
		if prev != nil && (e.Seq != prev.Seq+1 || e.Prev != prev.Hash) {
			return &ChainError{Chain: e.Chain, Seq: e.Seq, Reason: "does not follow the entry before it"}
		}
		prev = e
	}
	if x.Checkpoint == nil {
		return nil
	}
	if err := x.Checkpoint.Check(key); err != nil {
		return err
	}
	return x.Holds(*x.Checkpoint)
}

// Holds reports whether the export's chain still has the entry a
// checkpoint names (for instance one from an export saved earlier) with
// the hash the checkpoint signed. An error means the chain was rewritten
// or cut back after that checkpoint.
func (x *Export) Holds(cp Checkpoint) error {
	for _, e := range x.Entries {
		if e.Chain == cp.Chain && e.Seq == cp.Seq {
			if e.Hash != cp.Hash {
				return &ChainError{Chain: cp.Chain, Seq: cp.Seq, Reason: "the hash differs from the one checkpointed on " + cp.Time.Format(time.RFC3339) + " (rewritten)"}
			}
			return nil
		}
	}
	return &ChainError{Chain: cp.Chain, Seq: cp.Seq, Reason: "checkpointed on " + cp.Time.Format(time.RFC3339) + " but missing (deleted or cut back)"}
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
		row := []string{e.Chain, strconv.FormatInt(e.Seq, 10), e.Time.Format(time.RFC3339Nano), e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID, e.Hash.String()}
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

// Trail returns the entries of person's ledger (as actor or acted for)
// that belong to request id, oldest first: the request's ledger trail.
func (l *Ledger) Trail(ctx context.Context, person, id string) ([]Entry, error) {
	es, err := l.about(ctx, person)
	if err != nil {
		return nil, err
	}
	out := es[:0]
	for _, e := range es {
		if e.RequestID == id {
			out = append(out, e)
		}
	}
	return out, nil
}
