// Package sqlitestore keeps the AS4 outbox and duplicate-elimination
// records in an SQLite database (modernc.org/sqlite, pure Go). Several
// Store values, in one process or several, may open the same file: claims
// on received MessageIds are atomic across all of them.
package sqlitestore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"github.com/vienreiz/vienreiz/oots/as4"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store implements as4.Outbox and as4.DuplicateStore.
type Store struct {
	db  *sql.DB
	now func() time.Time

	mu      sync.Mutex
	queue   []*write             // writes waiting for the next group commit
	writing bool                 // a writer is committing; the queue waits for it
	closed  bool                 // Close ended the committer
	kick    chan struct{}        // has the committer commit the queue
	stop    chan struct{}        // ends the committer
	stmts   map[string]*sql.Stmt // hotQueries, prepared
}

// write is a transaction's work waiting to be committed.
type write struct {
	ctx  context.Context
	lazy bool
	fn   func(tx *sql.Tx) error
	err  error
	// done receives false when the write was committed (or failed: err),
	// true when its writer is to commit the queue itself.
	done chan bool
	// queued, for a write its caller does not wait for (QueueFinish), is
	// called with its outcome instead.
	queued func(error)
}

var (
	_ as4.Outbox         = (*Store)(nil)
	_ as4.DuplicateStore = (*Store)(nil)
	_ as4.FinishQueuer   = (*Store)(nil)
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
-- Only unsent entries are indexed: a sent message leaves the index (one
-- page written instead of an entry moved, and no index bytes kept for the
-- finished rows). as4_outbox_pending indexed every row by (status,
-- created_at) in older files.
DROP INDEX IF EXISTS as4_outbox_pending;
CREATE INDEX IF NOT EXISTS as4_outbox_unsent ON as4_outbox(created_at) WHERE status = '';
-- The record a message is built from, while it is pending or failed. It
-- leaves as4_outbox (data = x'') so that a sent message's row shrinks to
-- its id and outcome and the record's pages are reused (as4_outbox.data
-- holds the records of entries added before this table).
CREATE TABLE IF NOT EXISTS as4_outbox_data (
	message_id TEXT PRIMARY KEY,
	data       BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS as4_received (
	message_id TEXT PRIMARY KEY,
	claimed_at INTEGER NOT NULL,
	done_at    INTEGER,
	receipt    BLOB
);
-- No query reads as4_received by age (Purge scans, as it does as4_outbox),
-- so older files lose as4_received_age (claimed_at): it cost each received
-- message a page write and 18 bytes.
DROP INDEX IF EXISTS as4_received_age;
`

// The statements of the write path, prepared by Open (see exec).
const (
	sqlAddEntry = `INSERT INTO as4_outbox(message_id, data, created_at) VALUES(?, x'', ?) ON CONFLICT(message_id) DO NOTHING`
	sqlAddData  = `INSERT INTO as4_outbox_data(message_id, data) VALUES(?, ?)`
	sqlFinish   = `UPDATE as4_outbox SET status = ?, detail = ?, finished_at = ?, data = CASE WHEN ? THEN x'' ELSE data END WHERE message_id = ?`
	sqlDropData = `DELETE FROM as4_outbox_data WHERE message_id = ?`
	sqlClaim    = `INSERT INTO as4_received(message_id, claimed_at) VALUES(?, ?) ON CONFLICT(message_id) DO UPDATE SET claimed_at = excluded.claimed_at WHERE as4_received.done_at IS NULL AND as4_received.claimed_at <= ?`
	sqlComplete = `INSERT INTO as4_received(message_id, claimed_at, done_at, receipt) VALUES(?, ?, ?, ?) ON CONFLICT(message_id) DO UPDATE SET done_at = excluded.done_at, receipt = excluded.receipt`
)

// sqlPending lists unsent entries, oldest first (as4_outbox_unsent).
const sqlPending = `SELECT o.message_id, coalesce(d.data, o.data), o.created_at FROM as4_outbox o
	LEFT JOIN as4_outbox_data d ON d.message_id = o.message_id
	WHERE o.status = '' ORDER BY o.created_at LIMIT ?`

var hotQueries = []string{sqlAddEntry, sqlAddData, sqlFinish, sqlDropData, sqlClaim, sqlComplete}

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
	// A transaction runs on its connection only (tx, not s.db), so
	// nothing waits on itself.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: schema in %s: %w", path, err)
	}
	s := &Store{db: db, now: time.Now, stmts: map[string]*sql.Stmt{}, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	for _, q := range hotQueries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("sqlitestore: preparing %q: %w", q, err)
		}
		s.stmts[q] = st
	}
	go s.committer()
	return s, nil
}

// committer commits the queues that hold only writes nobody waits for
// (QueueFinish's). One long-lived goroutine: SQLite's call chain is deep,
// and a fresh goroutine per commit grew its stack there every time (0.6 %
// of the sender's CPU in BenchmarkSustained).
func (s *Store) committer() {
	for {
		select {
		case <-s.kick:
			s.lead(nil)
		case <-s.stop:
			select { // a kick sent before Close took the committer
			case <-s.kick:
				s.lead(nil)
			default:
			}
			return
		}
	}
}

// startQueued, with s.mu held and the writer taken (writing) for queued
// writes alone, has them committed by the committer (after Close, by a
// goroutine of their own: their commit fails and they learn so).
func (s *Store) startQueued() {
	if s.closed {
		go s.lead(nil)
		return
	}
	s.kick <- struct{}{}
}

// inTx runs fn in a transaction and returns once it is committed. Writes
// that arrive while another commits wait and are then committed together
// (group commit): one transaction, one WAL write and one fsync for all,
// which on a busy access point is several messages' (issue 16 item 2).
// When one of them fails, the transaction is rolled back and each runs
// again alone, so a write fails only of its own error.
//
// A lazy write is committed without waiting for the disk (synchronous =
// NORMAL; the next FULL commit syncs its WAL frames with its own): for
// writes whose loss in a power failure is harmless (see the callers). A
// group with any write that is not lazy is committed with FULL.
func (s *Store) inTx(ctx context.Context, lazy bool, fn func(tx *sql.Tx) error) error {
	w := &write{ctx: ctx, lazy: lazy, fn: fn, done: make(chan bool, 1)}
	if !s.enqueue(w) && !<-w.done {
		return w.err
	}
	s.lead(w)
	return w.err
}

// enqueue adds w to the queue and reports whether its caller is to commit
// the queue (no writer is committing).
func (s *Store) enqueue(w *write) (lead bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.push(w)
}

// push is enqueue with s.mu held: it takes the writer when it was free.
func (s *Store) push(w *write) (lead bool) {
	s.queue = append(s.queue, w)
	lead = !s.writing
	s.writing = true
	return lead
}

// lead commits the queue (self's write among it; self is nil for a
// goroutine leading for queued writes nobody waits for), then hands the
// next queue to the first writer waiting in it, so no caller serves others
// indefinitely; when only queued writes are left, the committer takes them (startQueued).
func (s *Store) lead(self *write) {
	s.mu.Lock()
	group := s.queue
	s.queue = nil
	s.mu.Unlock()
	ctx := context.Background()
	if self != nil {
		ctx = context.WithoutCancel(self.ctx)
	}
	s.commit(ctx, group)
	for _, o := range group {
		switch {
		case o == self:
		case o.queued != nil:
			o.queued(o.err)
		default:
			o.done <- false
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.queue {
		if o.queued == nil {
			o.done <- true
			return
		}
	}
	if len(s.queue) > 0 {
		s.startQueued()
		return
	}
	s.writing = false
}

// flush returns once every write queued before it is committed (Status,
// Pending and Close see what QueueFinish queued).
func (s *Store) flush(ctx context.Context) error {
	s.mu.Lock()
	idle := !s.writing
	s.mu.Unlock()
	if idle {
		return nil
	}
	return s.inTx(ctx, true, func(*sql.Tx) error { return nil })
}

// commit runs the writes of group in one transaction and sets their err.
func (s *Store) commit(ctx context.Context, group []*write) {
	var live []*write
	lazy := true
	for _, w := range group {
		if w.err = w.ctx.Err(); w.err == nil {
			live = append(live, w)
			lazy = lazy && w.lazy
		}
	}
	if len(live) == 0 {
		return
	}
	err := s.tx(ctx, lazy, func(tx *sql.Tx) error {
		for _, w := range live {
			if w.err = w.fn(tx); w.err != nil {
				return w.err
			}
		}
		return nil
	})
	switch {
	case err == nil:
	case len(live) == 1:
		live[0].err = err
	default:
		for _, w := range live {
			w.err = s.tx(ctx, w.lazy, w.fn)
		}
	}
}

// tx runs fn in one transaction, lazy ones with synchronous=NORMAL.
func (s *Store) tx(ctx context.Context, lazy bool, fn func(tx *sql.Tx) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if lazy {
		if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
			return err
		}
		defer func() {
			if _, perr := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = FULL`); perr != nil {
				// Never leave a lazy connection in the pool: it would weaken
				// every later commit. ErrBadConn makes database/sql drop it.
				conn.Raw(func(any) error { return driver.ErrBadConn })
				err = errors.Join(err, fmt.Errorf("restore synchronous=FULL: %w", perr))
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// exec runs query, one of hotQueries, in tx as the statement Open
// prepared: SQLite compiles a statement at about the cost of running it
// (modernc's transpiled C), which was a sixth of the store's CPU time.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, ok := s.stmts[query]
	if !ok {
		return tx.ExecContext(ctx, query, args...)
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// Close commits the queued writes and closes the database.
func (s *Store) Close() error {
	ferr := s.flush(context.Background())
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
	s.mu.Unlock()
	for _, st := range s.stmts {
		st.Close()
	}
	return errors.Join(ferr, s.db.Close())
}

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
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx,
			sqlAddEntry,
			e.MessageID, created.UnixNano())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return as4.ErrExists
		}
		_, err = s.exec(ctx, tx, sqlAddData, e.MessageID, data)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: outbox add %s: %w", e.MessageID, err)
	}
	return nil
}

// Pending implements as4.Outbox.
func (s *Store) Pending(ctx context.Context, limit int) ([]as4.OutboxEntry, error) {
	if limit <= 0 {
		limit = 1000
	}
	if err := s.flush(ctx); err != nil {
		return nil, fmt.Errorf("sqlitestore: outbox pending: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, sqlPending, limit)
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

// Finish implements as4.Outbox. A sent message drops the record it was
// built from (only pending entries are sent again); a failed one keeps it.
// Marking a message sent does not wait for the disk: if a power failure
// loses the mark, the message is sent again and the receiver's duplicate
// elimination answers with the receipt it gave.
func (s *Store) Finish(ctx context.Context, messageID, status, detail string) error {
	if status == "" {
		return errors.New("sqlitestore: outbox finish: empty status")
	}
	return s.finishErr(messageID, s.inTx(ctx, status == "sent", s.finishTx(ctx, messageID, status, detail)))
}

// QueueFinish implements as4.FinishQueuer: Finish without waiting for the
// commit, which is lazy like Finish's for "sent". done is called with
// Finish's error once the write is committed or failed; it must not block.
// Status, Pending and Close wait for queued writes first.
func (s *Store) QueueFinish(ctx context.Context, messageID, status, detail string, done func(error)) {
	if status == "" {
		done(errors.New("sqlitestore: outbox finish: empty status"))
		return
	}
	ctx = context.WithoutCancel(ctx)
	w := &write{ctx: ctx, lazy: status == "sent", fn: s.finishTx(ctx, messageID, status, detail),
		queued: func(err error) { done(s.finishErr(messageID, err)) }}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.push(w) {
		s.startQueued()
	}
}

// finishTx is the write of Finish.
func (s *Store) finishTx(ctx context.Context, messageID, status, detail string) func(tx *sql.Tx) error {
	sent := status == "sent"
	return func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx,
			sqlFinish,
			status, detail, s.now().UnixNano(), sent, messageID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errors.New("no such entry")
		}
		if sent {
			_, err = s.exec(ctx, tx, sqlDropData, messageID)
		}
		return err
	}
}

func (s *Store) finishErr(messageID string, err error) error {
	if err != nil {
		return fmt.Errorf("sqlitestore: outbox finish %s: %w", messageID, err)
	}
	return nil
}

// Status returns the outcome Finish recorded for an outbox entry ("" while
// it is pending, "sent" or "failed") with its detail, or an error wrapping
// sql.ErrNoRows when the outbox never held messageID.
func (s *Store) Status(ctx context.Context, messageID string) (status, detail string, err error) {
	if err := s.flush(ctx); err != nil {
		return "", "", fmt.Errorf("sqlitestore: outbox status %s: %w", messageID, err)
	}
	err = s.db.QueryRowContext(ctx, `SELECT status, detail FROM as4_outbox WHERE message_id = ?`, messageID).Scan(&status, &detail)
	if err != nil {
		return "", "", fmt.Errorf("sqlitestore: outbox status %s: %w", messageID, err)
	}
	return status, detail, nil
}

// Claim implements as4.DuplicateStore. One statement inserts the id or
// takes over an expired claim, so concurrent listeners cannot both win.
// A claim does not wait for the disk: a power failure ends the listeners
// that held claims, whose messages were not completed, so a lost claim
// only lets the sender's retry be processed (ReleaseClaims drops them
// anyway).
func (s *Store) Claim(ctx context.Context, messageID string, lease time.Duration) (as4.ClaimState, []byte, error) {
	now := s.now()
	var claimed int64
	var done sql.NullInt64
	var receipt []byte
	// The record a claim conflicts with is read in the same transaction:
	// read after it, a Purge in between could have removed it.
	err := s.inTx(ctx, true, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, sqlClaim,
			messageID, now.UnixNano(), now.Add(-lease).UnixNano())
		if err == nil {
			claimed, err = res.RowsAffected()
		}
		if err != nil || claimed == 1 {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT done_at, receipt FROM as4_received WHERE message_id = ?`, messageID).Scan(&done, &receipt)
	})
	if err != nil {
		return 0, nil, fmt.Errorf("sqlitestore: claim %s: %w", messageID, err)
	}
	if claimed == 1 {
		return as4.Fresh, nil, nil
	}
	if done.Valid {
		return as4.Done, receipt, nil
	}
	return as4.InProgress, nil, nil
}

// Complete implements as4.DuplicateStore.
func (s *Store) Complete(ctx context.Context, messageID string, receipt []byte) error {
	now := s.now().UnixNano()
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, sqlComplete,
			messageID, now, now, receipt)
		return err
	})
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
	n1, err := s.purgeOldest(ctx, "as4_received", "claimed_at", "done_at IS NOT NULL AND done_at < ?", t)
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: purge received: %w", err)
	}
	n2, err := s.purgeOldest(ctx, "as4_outbox", "created_at", "status != '' AND finished_at < ?", t)
	if err != nil {
		return n1, fmt.Errorf("sqlitestore: purge outbox: %w", err)
	}
	err = s.inTx(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM as4_outbox_data WHERE message_id NOT IN (SELECT message_id FROM as4_outbox)`)
		return err
	})
	if err != nil {
		return n1 + n2, fmt.Errorf("sqlitestore: purge outbox data: %w", err)
	}
	return n1 + n2, nil
}

// purgeBatch is how many rows one of Purge's transactions looks at.
var purgeBatch = 256

// purgeOldest deletes the rows of table for which expired (a condition on
// the cutoff t) holds, walking the table in rowid order, the order rows
// were added, a batch per transaction so that writers wait for no more
// than one batch. The walk ends at a batch whose rows were all added at or
// after t (age column): it reads the expired rows and a batch more, not
// the whole table, and needs no index on age.
func (s *Store) purgeOldest(ctx context.Context, table, age, expired string, t int64) (int64, error) {
	var deleted, last int64
	for {
		var end sql.NullInt64
		var rows, young int
		var n int64
		err := s.inTx(ctx, false, func(tx *sql.Tx) error {
			err := tx.QueryRowContext(ctx, `SELECT max(rowid), count(*), coalesce(sum(`+age+` >= ?), 0)
				FROM (SELECT rowid, `+age+` FROM `+table+` WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
				t, last, purgeBatch).Scan(&end, &rows, &young)
			if n = 0; err != nil || rows == 0 {
				return err
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE rowid > ? AND rowid <= ? AND `+expired, last, end.Int64, t)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
			return nil
		})
		deleted += n
		if err != nil || rows == 0 || young == rows {
			return deleted, err
		}
		last = end.Int64
	}
}

// DefaultRetention is how long received MessageIds (duplicate detection)
// and finished outbox entries are kept when nothing else is configured:
// far longer than any sender retries a message.
const DefaultRetention = 30 * 24 * time.Hour

// PurgeInterval is how often a Purger purges.
const PurgeInterval = time.Hour

// Purger purges a Store's records older than Retention, at most once a
// PurgeInterval, for a loop that wakes more often (a sender's resend
// loop). Without it the file grows by every message for ever.
type Purger struct {
	Store     *Store
	Retention time.Duration
	last      time.Time
}

// Due purges when PurgeInterval has passed since the last purge (or there
// was none) and logs what went, or why not.
func (p *Purger) Due(ctx context.Context, now time.Time, log *slog.Logger) {
	if !p.last.IsZero() && now.Sub(p.last) < PurgeInterval {
		return
	}
	p.last = now
	n, err := p.Store.Purge(ctx, now.Add(-p.Retention))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("purge of old AS4 records failed", "err", err)
	case n > 0:
		log.Info("old AS4 records purged", "rows", n, "older_than", p.Retention)
	}
}
