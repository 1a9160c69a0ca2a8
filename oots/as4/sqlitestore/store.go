// Package sqlitestore keeps the AS4 outbox and duplicate-elimination
// records in an SQLite database (modernc.org/sqlite, pure Go). Several
// Store values, in one process or several, may open the same file: claims
// on received MessageIds are atomic across all of them.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"github.com/vienreiz/vienreiz/oots/as4"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store implements as4.Outbox and as4.DuplicateStore.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

var (
	_ as4.Outbox         = (*Store)(nil)
	_ as4.DuplicateStore = (*Store)(nil)
)

const schema = `
CREATE TABLE IF NOT EXISTS as4_outbox (
	message_id  TEXT PRIMARY KEY,
	data        BLOB NOT NULL,
	created_at  INTEGER NOT NULL,
	status      TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '',
	finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS as4_outbox_pending ON as4_outbox(status, created_at);
CREATE TABLE IF NOT EXISTS as4_received (
	message_id TEXT PRIMARY KEY,
	claimed_at INTEGER NOT NULL,
	done_at    INTEGER,
	receipt    BLOB
);
CREATE INDEX IF NOT EXISTS as4_received_age ON as4_received(claimed_at);
`

// Open opens (creating when needed) the database file at path, in WAL mode
// with a busy timeout so that several listeners can share it.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := sqlitedsn.Private(path); err != nil {
		return nil, fmt.Errorf("sqlite file %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", sqlitedsn.For(path, "FULL"))
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	// One connection: writers queue in Go instead of polling SQLite's
	// file lock under busy_timeout, which made the slowest messages wait
	// hundreds of milliseconds with several senders (issue 16 item 2).
	// No statement here runs in a transaction, so nothing waits on itself.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: schema in %s: %w", path, err)
	}
	return &Store{db: db, now: time.Now}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Add implements as4.Outbox.
func (s *Store) Add(ctx context.Context, e as4.OutboxEntry) error {
	created := e.Created
	if created.IsZero() {
		created = s.now()
	}
	data := e.Data
	if data == nil {
		data = []byte{}
	}
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO as4_outbox(message_id, data, created_at) VALUES(?, ?, ?) ON CONFLICT(message_id) DO NOTHING`,
		e.MessageID, data, created.UnixNano())
	if err != nil {
		return fmt.Errorf("sqlitestore: outbox add %s: %w", e.MessageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: outbox add %s: %w", e.MessageID, as4.ErrExists)
	}
	return nil
}

// Pending implements as4.Outbox.
func (s *Store) Pending(ctx context.Context, limit int) ([]as4.OutboxEntry, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT message_id, data, created_at FROM as4_outbox WHERE status = '' ORDER BY created_at LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: outbox pending: %w", err)
	}
	defer rows.Close()
	var out []as4.OutboxEntry
	for rows.Next() {
		var e as4.OutboxEntry
		var created int64
		if err := rows.Scan(&e.MessageID, &e.Data, &created); err != nil {
			return nil, fmt.Errorf("sqlitestore: outbox pending: %w", err)
		}
		e.Created = time.Unix(0, created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: outbox pending: %w", err)
	}
	return out, nil
}

// Finish implements as4.Outbox.
func (s *Store) Finish(ctx context.Context, messageID, status, detail string) error {
	if status == "" {
		return errors.New("sqlitestore: outbox finish: empty status")
	}
	res, err := s.db.ExecContext(ctx,
		`UPDATE as4_outbox SET status = ?, detail = ?, finished_at = ? WHERE message_id = ?`,
		status, detail, s.now().UnixNano(), messageID)
	if err != nil {
		return fmt.Errorf("sqlitestore: outbox finish %s: %w", messageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: outbox finish %s: no such entry", messageID)
	}
	return nil
}

// Status returns the outcome Finish recorded for an outbox entry ("" while
// it is pending, "sent" or "failed") with its detail, or an error wrapping
// sql.ErrNoRows when the outbox never held messageID.
func (s *Store) Status(ctx context.Context, messageID string) (status, detail string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT status, detail FROM as4_outbox WHERE message_id = ?`, messageID).Scan(&status, &detail)
	if err != nil {
		return "", "", fmt.Errorf("sqlitestore: outbox status %s: %w", messageID, err)
	}
	return status, detail, nil
}

// Claim implements as4.DuplicateStore. One statement inserts the id or
// takes over an expired claim, so concurrent listeners cannot both win.
func (s *Store) Claim(ctx context.Context, messageID string, lease time.Duration) (as4.ClaimState, []byte, error) {
	now := s.now()
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO as4_received(message_id, claimed_at) VALUES(?, ?)
		ON CONFLICT(message_id) DO UPDATE SET claimed_at = excluded.claimed_at
		WHERE as4_received.done_at IS NULL AND as4_received.claimed_at <= ?`,
		messageID, now.UnixNano(), now.Add(-lease).UnixNano())
	if err != nil {
		return 0, nil, fmt.Errorf("sqlitestore: claim %s: %w", messageID, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return as4.Fresh, nil, nil
	}
	var done sql.NullInt64
	var receipt []byte
	err = s.db.QueryRowContext(ctx, `SELECT done_at, receipt FROM as4_received WHERE message_id = ?`, messageID).Scan(&done, &receipt)
	if err != nil {
		return 0, nil, fmt.Errorf("sqlitestore: claim %s: %w", messageID, err)
	}
	if done.Valid {
		return as4.Done, receipt, nil
	}
	return as4.InProgress, nil, nil
}

// Complete implements as4.DuplicateStore.
func (s *Store) Complete(ctx context.Context, messageID string, receipt []byte) error {
	now := s.now().UnixNano()
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO as4_received(message_id, claimed_at, done_at, receipt) VALUES(?, ?, ?, ?)
		ON CONFLICT(message_id) DO UPDATE SET done_at = excluded.done_at, receipt = excluded.receipt`,
		messageID, now, now, receipt)
	if err != nil {
		return fmt.Errorf("sqlitestore: complete %s: %w", messageID, err)
	}
	return nil
}

// Release implements as4.DuplicateStore.
func (s *Store) Release(ctx context.Context, messageID string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM as4_received WHERE message_id = ? AND done_at IS NULL`, messageID); err != nil {
		return fmt.Errorf("sqlitestore: release %s: %w", messageID, err)
	}
	return nil
}

// ReleaseClaims drops every claim on a received message that was not
// completed, and returns how many: the listeners that held them died with
// their process, and the sender's retries must be processed rather than
// answered "in progress" until the leases run out. Call it at start-up,
// and only when this process alone uses the file.
func (s *Store) ReleaseClaims(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM as4_received WHERE done_at IS NULL`)
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: release claims: %w", err)
	}
	return res.RowsAffected()
}

// Purge deletes received-message records and finished outbox entries
// older than before (the duplicate-detection window of the P-Modes) and
// returns how many rows went.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	t := before.UnixNano()
	r1, err := s.db.ExecContext(ctx, `DELETE FROM as4_received WHERE done_at IS NOT NULL AND done_at < ?`, t)
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: purge received: %w", err)
	}
	r2, err := s.db.ExecContext(ctx, `DELETE FROM as4_outbox WHERE status != '' AND finished_at < ?`, t)
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: purge outbox: %w", err)
	}
	n1, _ := r1.RowsAffected()
	n2, _ := r2.RowsAffected()
	return n1 + n2, nil
}
