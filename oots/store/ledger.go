package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// LedgerStore keeps the ledger's hash chains, one per person; it
// implements ledger.Storage. Appends to one chain are serialised by
// locking that chain's head row (SELECT … FOR UPDATE on PostgreSQL, the
// immediate transaction on SQLite), so concurrent appends from several
// processes never fork a chain, and appends for different people do not
// wait for each other on PostgreSQL.
type LedgerStore struct {
	s *Store
}

// Ledger returns the ledger storage of s.
func (s *Store) Ledger() LedgerStore { return LedgerStore{s: s} }

var _ ledger.Storage = LedgerStore{}

const ledgerColumns = `chain, seq, at_us, actor, on_behalf_of, action, what, legal_basis, request_id, prev_hash, hash`

var zeroHash = ledger.Hash{}.String()

// forUpdate is the row-lock suffix of the dialect: PostgreSQL locks the
// row; SQLite's immediate transactions already hold the write lock.
func (s *Store) forUpdate() string {
	if s.dialect.name == "postgres" {
		return " FOR UPDATE"
	}
	return ""
}

// AppendEntry implements ledger.Storage.
func (l LedgerStore) AppendEntry(ctx context.Context, chain string, build func(ledger.Head) (ledger.Entry, error)) (ledger.Entry, error) {
	s := l.s
	var e ledger.Entry
	err := s.inTx(ctx, "ledger append", func(tx *sql.Tx) (err error) {
		e, err = s.appendLedger(ctx, tx, chain, build)
		return err
	})
	if err != nil {
		return ledger.Entry{}, err
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
		if _, err := s.appendLedger(ctx, tx, ledger.ChainOf(r), func(head ledger.Head) (ledger.Entry, error) { return ledger.Next(head, r, at), nil }); err != nil {
			return err
		}
	}
	return nil
}

// withRecords runs change in a transaction and appends records (at time
// at) in the same one: a register change and its ledger lines are kept
// together or not at all.
func (s *Store) withRecords(ctx context.Context, at time.Time, records []ledger.Record, change func(tx *sql.Tx) error) error {
	return s.inTx(ctx, "register change", func(tx *sql.Tx) error {
		if err := change(tx); err != nil {
			return err
		}
		return s.appendRecords(ctx, tx, records, at)
	})
}

// lockHead locks the head row of chain in tx, creating it for a new
// chain, and returns the head.
func (s *Store) lockHead(ctx context.Context, tx *sql.Tx, chain string) (ledger.Head, error) {
	lock := s.q(`SELECT head_seq, head_hash FROM ledger_heads WHERE chain = ?` + s.forUpdate())
	head, err := readHead(ctx, tx, lock, chain)
	if !errors.Is(err, sql.ErrNoRows) {
		return head, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO ledger_heads (chain, head_seq, head_hash, anchor_seq, anchor_hash) VALUES (?, 0, ?, 0, ?) ON CONFLICT (chain) DO NOTHING`),
		chain, zeroHash, zeroHash); err != nil {
		return head, fmt.Errorf("store: ledger chain %q: %w", chain, err)
	}
	return readHead(ctx, tx, lock, chain)
}

// appendLedger locks the chain's head in tx, stores the entry build makes
// from it and moves the head.
func (s *Store) appendLedger(ctx context.Context, tx *sql.Tx, chain string, build func(ledger.Head) (ledger.Entry, error)) (ledger.Entry, error) {
	head, err := s.lockHead(ctx, tx, chain)
	if err != nil {
		return ledger.Entry{}, err
	}
	e, err := build(head)
	if err != nil {
		return ledger.Entry{}, err
	}
	if e.Chain != chain || e.Seq != head.Seq+1 || e.Prev != head.Hash {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: entry %d does not follow the head %d of chain %q", e.Seq, head.Seq, chain)
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO ledger_entries (`+ledgerColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.Chain, e.Seq, e.Time.UnixMicro(), e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID, e.Prev.String(), e.Hash.String()); err != nil {
		return ledger.Entry{}, fmt.Errorf("store: ledger append entry %d: %w", e.Seq, err)
	}
	res, err := tx.ExecContext(ctx, s.q(`UPDATE ledger_heads SET head_seq = ?, head_hash = ? WHERE chain = ? AND head_seq = ?`), e.Seq, e.Hash.String(), chain, head.Seq)
	if err != nil {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: moving head to %d: %w", e.Seq, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ledger.Entry{}, fmt.Errorf("store: ledger append: head of chain %q moved away from %d during the append", chain, head.Seq)
	}
	return e, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readHead reads a head; sql.ErrNoRows is returned as is.
func readHead(ctx context.Context, q queryRower, query string, args ...any) (ledger.Head, error) {
	var (
		h   ledger.Head
		hex string
	)
	if err := q.QueryRowContext(ctx, query, args...).Scan(&h.Seq, &hex); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return h, err
		}
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
func (l LedgerStore) Entries(ctx context.Context, chain string, after int64, limit int) ([]ledger.Entry, error) {
	return l.s.ledgerQuery(ctx, `SELECT `+ledgerColumns+` FROM ledger_entries WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?`, chain, after, limit)
}

// EntriesAbout implements ledger.Storage.
func (l LedgerStore) EntriesAbout(ctx context.Context, person string) ([]ledger.Entry, error) {
	return l.s.ledgerQuery(ctx, `SELECT `+ledgerColumns+` FROM ledger_entries WHERE actor = ? OR on_behalf_of = ? ORDER BY at_us, chain, seq`, person, person)
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
		if err := rows.Scan(&e.Chain, &e.Seq, &at, &e.Actor, &e.OnBehalfOf, &e.Action, &e.What, &e.LegalBasis, &e.RequestID, &prev, &hash); err != nil {
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

const boundsColumns = `chain, anchor_seq, anchor_hash, head_seq, head_hash`

// Chains implements ledger.Storage.
func (l LedgerStore) Chains(ctx context.Context) ([]ledger.Bounds, error) {
	return l.s.boundsQuery(ctx, `SELECT `+boundsColumns+` FROM ledger_heads ORDER BY chain`)
}

// Unanchored implements ledger.Storage.
func (l LedgerStore) Unanchored(ctx context.Context, limit int) ([]ledger.Bounds, error) {
	return l.s.boundsQuery(ctx, `SELECT `+boundsColumns+` FROM ledger_heads WHERE head_seq > cp_seq ORDER BY chain LIMIT ?`, limit)
}

func (s *Store) boundsQuery(ctx context.Context, query string, args ...any) ([]ledger.Bounds, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: ledger chains: %w", err)
	}
	defer rows.Close()
	var out []ledger.Bounds
	for rows.Next() {
		var (
			b      ledger.Bounds
			ah, hh string
		)
		if err := rows.Scan(&b.Chain, &b.Anchor.Seq, &ah, &b.Head.Seq, &hh); err != nil {
			return nil, fmt.Errorf("store: ledger chains: %w", err)
		}
		// Garbled hashes stay zero: Verify reports the chain.
		b.Anchor.Hash, _ = ledger.ParseHash(ah)
		b.Head.Hash, _ = ledger.ParseHash(hh)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ledger chains: %w", err)
	}
	return out, nil
}

// SaveCheckpoint implements ledger.Storage.
func (l LedgerStore) SaveCheckpoint(ctx context.Context, cp ledger.Checkpoint) error {
	b64 := base64.StdEncoding.EncodeToString
	_, err := l.s.w.ExecContext(ctx, l.s.q(`UPDATE ledger_heads SET cp_seq = ?, cp_hash = ?, cp_at_us = ?, cp_key = ?, cp_sig = ? WHERE chain = ? AND cp_seq < ?`),
		cp.Seq, cp.Hash.String(), cp.Time.UnixMicro(), b64(cp.Key), b64(cp.Sig), cp.Chain, cp.Seq)
	if err != nil {
		return fmt.Errorf("store: ledger checkpoint of %q: %w", cp.Chain, err)
	}
	return nil
}

// LatestCheckpoint implements ledger.Storage.
func (l LedgerStore) LatestCheckpoint(ctx context.Context, chain string) (*ledger.Checkpoint, error) {
	var (
		cp             = ledger.Checkpoint{Chain: chain}
		at             int64
		hash, key, sig string
	)
	err := l.s.db.QueryRowContext(ctx, l.s.q(`SELECT cp_seq, cp_hash, cp_at_us, cp_key, cp_sig FROM ledger_heads WHERE chain = ? AND cp_seq > 0`), chain).
		Scan(&cp.Seq, &hash, &at, &key, &sig)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: ledger checkpoint of %q: %w", chain, err)
	}
	cp.Time = time.UnixMicro(at).UTC()
	// Undecodable values stay empty: the checkpoint then fails its check.
	cp.Hash, _ = ledger.ParseHash(hash)
	cp.Key, _ = base64.StdEncoding.DecodeString(key)
	cp.Sig, _ = base64.StdEncoding.DecodeString(sig)
	return &cp, nil
}

// PurgeBefore implements ledger.Storage: chain by chain, each in its own
// transaction.
func (l LedgerStore) PurgeBefore(ctx context.Context, cutoff time.Time) (int, error) {
	s := l.s
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT chain FROM ledger_entries WHERE at_us < ?`), cutoff.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	var chains []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: ledger purge: %w", err)
		}
		chains = append(chains, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: ledger purge: %w", err)
	}
	total := 0
	for _, c := range chains {
		n, err := s.purgeChain(ctx, c, cutoff)
		if err != nil {
			return total, err
		}
		total += n
	}
	if total > 0 {
		s.log.Info("ledger purged", "entries", total, "chains", len(chains), "cutoff", cutoff)
	}
	return total, nil
}

// purgeChain deletes the oldest run of entries of chain before cutoff and
// moves its anchor to the last one deleted.
func (s *Store) purgeChain(ctx context.Context, chain string, cutoff time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, "ledger purge", func(tx *sql.Tx) error {
		var anchorSeq, headSeq int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT anchor_seq, head_seq FROM ledger_heads WHERE chain = ?`+s.forUpdate()), chain).Scan(&anchorSeq, &headSeq); err != nil {
			return fmt.Errorf("store: ledger purge of chain %q: %w", chain, err)
		}
		var first sql.NullInt64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT MIN(seq) FROM ledger_entries WHERE chain = ? AND at_us >= ?`), chain, cutoff.UnixMicro()).Scan(&first); err != nil {
			return fmt.Errorf("store: ledger purge: %w", err)
		}
		last := headSeq
		if first.Valid {
			last = first.Int64 - 1
		}
		if last <= anchorSeq {
			return nil
		}
		var hash string
		err := tx.QueryRowContext(ctx, s.q(`SELECT hash FROM ledger_entries WHERE chain = ? AND seq = ?`), chain, last).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: ledger purge: entry %d of chain %q, the new anchor, is missing: %w", last, chain, ledger.ErrTampered)
		}
		if err != nil {
			return fmt.Errorf("store: ledger purge: %w", err)
		}
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM ledger_entries WHERE chain = ? AND seq <= ?`), chain, last)
		if err != nil {
			return fmt.Errorf("store: ledger purge: %w", err)
		}
		n, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE ledger_heads SET anchor_seq = ?, anchor_hash = ? WHERE chain = ?`), last, hash, chain); err != nil {
			return fmt.Errorf("store: ledger purge: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}
