package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// LedgerStore keeps the ledger's hash chain; it implements
// ledger.Storage. Appends are serialised by locking the single-row chain
// head (SELECT … FOR UPDATE on PostgreSQL, the immediate transaction on
// SQLite), so concurrent appends from several processes never fork it.
type LedgerStore struct {
	s *Store
}

// Ledger returns the ledger storage of s.
func (s *Store) Ledger() LedgerStore { return LedgerStore{s: s} }

var _ ledger.Storage = LedgerStore{}

const ledgerColumns = `seq, at_us, actor, on_behalf_of, action, what, legal_basis, request_id, prev_hash, hash`

// forUpdate is the row-lock suffix of the dialect: PostgreSQL locks the
// row; SQLite's immediate transactions already hold the write lock.
func (s *Store) forUpdate() string {
	if s.dialect.name == "postgres" {
		return " FOR UPDATE"
	}
	return ""
}

// AppendEntry implements ledger.Storage.
func (l LedgerStore) AppendEntry(ctx context.Context, build func(ledger.Head) (ledger.Entry, error)) (ledger.Entry, error) {
	s := l.s
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: %w", err)
	}
	defer tx.Rollback()
	e, err := s.appendLedger(ctx, tx, build)
	if err != nil {
		return ledger.Entry{}, err
	}
	if err := tx.Commit(); err != nil {
		return ledger.Entry{}, fmt.Errorf("store: ledger append entry %d: %w", e.Seq, err)
	}
	return e, nil
}

// appendRecords validates records and appends them, at time at, in tx:
// the ledger lines of a request change are stored with it or not at all.
func (s *Store) appendRecords(ctx context.Context, tx *sql.Tx, records []ledger.Record, at time.Time) error {
	for _, r := range records {
		if err := r.Validate(); err != nil {
			return err
		}
		if _, err := s.appendLedger(ctx, tx, func(head ledger.Head) (ledger.Entry, error) { return ledger.Next(head, r, at), nil }); err != nil {
			return err
		}
	}
	return nil
}

// appendLedger locks the chain head in tx, stores the entry build makes
// from it and moves the head.
func (s *Store) appendLedger(ctx context.Context, tx *sql.Tx, build func(ledger.Head) (ledger.Entry, error)) (ledger.Entry, error) {
	head, err := readHead(ctx, tx, `SELECT head_seq, head_hash FROM ledger_chain WHERE id = 1`+s.forUpdate())
	if err != nil {
		return ledger.Entry{}, err
	}
	e, err := build(head)
	if err != nil {
		return ledger.Entry{}, err
	}
	if e.Seq != head.Seq+1 || e.Prev != head.Hash {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: entry %d does not follow the head %d", e.Seq, head.Seq)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO ledger_entries (`+ledgerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.Seq, e.Time.UnixMicro(), e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID, e.Prev.String(), e.Hash.String()); err != nil {
		return ledger.Entry{}, fmt.Errorf("store: ledger append entry %d: %w", e.Seq, err)
	}
	res, err := tx.ExecContext(ctx, s.q(`UPDATE ledger_chain SET head_seq = ?, head_hash = ? WHERE id = 1 AND head_seq = ?`), e.Seq, e.Hash.String(), head.Seq)
	if err != nil {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: moving head to %d: %w", e.Seq, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: head moved away from %d during the append", head.Seq)
	}
	return e, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readHead(ctx context.Context, q queryRower, query string, args ...any) (ledger.Head, error) {
	var (
		h   ledger.Head
		hex string
	)
	if err := q.QueryRowContext(ctx, query, args...).Scan(&h.Seq, &hex); err != nil {
		return h, fmt.Errorf("store: ledger chain head: %w", err)
	}
	hash, err := ledger.ParseHash(hex)
	if err != nil {
		return h, fmt.Errorf("store: ledger chain head: %w", err)
	}
	h.Hash = hash
	return h, nil
}

// Entries implements ledger.Storage.
func (l LedgerStore) Entries(ctx context.Context, after int64, limit int) ([]ledger.Entry, error) {
	return l.s.ledgerQuery(ctx, `SELECT `+ledgerColumns+` FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// EntriesAbout implements ledger.Storage.
func (l LedgerStore) EntriesAbout(ctx context.Context, person string) ([]ledger.Entry, error) {
	return l.s.ledgerQuery(ctx, `SELECT `+ledgerColumns+` FROM ledger_entries WHERE actor = ? OR on_behalf_of = ? ORDER BY seq`, person, person)
}

func (s *Store) ledgerQuery(ctx context.Context, query string, args ...any) ([]ledger.Entry, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: ledger entries: %w", err)
	}
	defer rows.Close()
	var out []ledger.Entry
	for rows.Next() {
		var (
			e          ledger.Entry
			at         int64
			prev, hash string
		)
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.OnBehalfOf, &e.Action, &e.What, &e.LegalBasis, &e.RequestID, &prev, &hash); err != nil {
			return nil, fmt.Errorf("store: ledger entries: %w", err)
		}
		e.Time = time.UnixMicro(at).UTC()
		// A stored hash that does not parse is kept as the zero hash, so
		// Verify reports the entry instead of the export failing.
		e.Prev, _ = ledger.ParseHash(prev)
		e.Hash, _ = ledger.ParseHash(hash)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ledger entries: %w", err)
	}
	return out, nil
}

// Bounds implements ledger.Storage.
func (l LedgerStore) Bounds(ctx context.Context) (anchor, head ledger.Head, err error) {
	var ah, hh string
	err = l.s.db.QueryRowContext(ctx, `SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM ledger_chain WHERE id = 1`).
		Scan(&anchor.Seq, &ah, &head.Seq, &hh)
	if err != nil {
		return anchor, head, fmt.Errorf("store: ledger bounds: %w", err)
	}
	if anchor.Hash, err = ledger.ParseHash(ah); err != nil {
		return anchor, head, fmt.Errorf("store: ledger anchor: %w", err)
	}
	if head.Hash, err = ledger.ParseHash(hh); err != nil {
		return anchor, head, fmt.Errorf("store: ledger head: %w", err)
	}
	return anchor, head, nil
}

// PurgeBefore implements ledger.Storage.
func (l LedgerStore) PurgeBefore(ctx context.Context, cutoff time.Time) (int, error) {
	s := l.s
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	defer tx.Rollback()
	var anchorSeq, headSeq int64
	if err := tx.QueryRowContext(ctx, `SELECT anchor_seq, head_seq FROM ledger_chain WHERE id = 1`+s.forUpdate()).Scan(&anchorSeq, &headSeq); err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	var first sql.NullInt64
	if err := tx.QueryRowContext(ctx, s.q(`SELECT MIN(seq) FROM ledger_entries WHERE at_us >= ?`), cutoff.UnixMicro()).Scan(&first); err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	last := headSeq
	if first.Valid {
		last = first.Int64 - 1
	}
	if last <= anchorSeq {
		return 0, nil
	}
	var hash string
	err = tx.QueryRowContext(ctx, s.q(`SELECT hash FROM ledger_entries WHERE seq = ?`), last).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: ledger purge: entry %d, the new anchor, is missing: %w", last, ledger.ErrTampered)
	}
	if err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	res, err := tx.ExecContext(ctx, s.q(`DELETE FROM ledger_entries WHERE seq <= ?`), last)
	if err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE ledger_chain SET anchor_seq = ?, anchor_hash = ? WHERE id = 1`), last, hash); err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	s.log.Info("ledger purged", "entries", n, "anchor", last, "cutoff", cutoff)
	return int(n), nil
}
