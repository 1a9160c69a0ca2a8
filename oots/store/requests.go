package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// ErrConflict is returned when a request changed since it was read; the
// caller reads it again and retries its transition.
var ErrConflict = errors.New("the request was changed by someone else")

// ErrUnderWay refuses to store a request with the OpenKey of another one
// (OpenRequest finds it).
var ErrUnderWay = errors.New("a request for the same evidence is under way")

// RequestRecord is one stored evidence request. Doc is the exchange
// service's own JSON document of it; the other fields are what the store
// filters, orders and guards on.
type RequestRecord struct {
	ID    string
	Owner string
	// Representative made the request for Owner under a mandate; "" when
	// the owner made it.
	Representative string
	ServiceID      string
	State          string
	// OpenKey names the evidence the request asks for while it is under
	// way ("" once it has ended): no two requests hold the same one, and
	// storing a second is ErrUnderWay.
	OpenKey string
	// Version counts the changes; Update expects the value it read.
	Version   int
	Doc       []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TimelineEntry is one step of a request's timeline: what happened, the
// state it led to and when the next step is expected.
type TimelineEntry struct {
	Seq        int
	At         time.Time
	Event      string
	State      string
	Detail     string
	ExpectedBy time.Time // zero when nothing more is expected
}

// AsStored is e as Timeline returns it once stored: its times in UTC, to
// the microsecond.
func (e TimelineEntry) AsStored() TimelineEntry {
	for _, t := range []*time.Time{&e.At, &e.ExpectedBy} {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Microsecond)
		}
	}
	return e
}

// timeFormat stores times as sortable UTC text on both databases.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(timeFormat, s)
}

// Effects are what a request change stores in its own transaction, so a
// crash never keeps a state without the work it asks for or without its
// record: the jobs (time-outs, sends) and the ledger records, appended at
// the time of the timeline entry, and the owner's inbox items.
type Effects struct {
	Jobs   []NewJob
	Ledger []ledger.Record
	// Inbox items are added; the request's items that await a state it
	// has left (the last timeline entry's) are removed.
	Inbox []InboxItem
	// Evidence are documents added to the request (a clerk's result).
	Evidence []EvidenceRow
	// Feedback is the owner's feedback on the finished request.
	Feedback *Feedback
}

// CreateRequest stores a new request (Version 1) with the first entries
// of its timeline (at least one) and its effects, the ledger records at
// the time of the last entry. It is all or nothing. On PostgreSQL a
// request without ledger records (a citizen's own) is sent as one batch
// in one round trip (see writeAll); ledger records need their chains'
// heads read first, in a transaction.
func (s *Store) CreateRequest(ctx context.Context, r RequestRecord, timeline []TimelineEntry, fx Effects) error {
	if len(timeline) == 0 {
		return fmt.Errorf("store: creating request %s: no timeline entry", r.ID)
	}
	create := func(ex execer) error {
		if _, err := ex.ExecContext(ctx, s.q(`INSERT INTO requests (id, owner, representative, service_id, state, open_key, version, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`),
			r.ID, r.Owner, r.Representative, r.ServiceID, r.State, openKey(r.OpenKey), string(r.Doc), formatTime(r.CreatedAt), formatTime(r.UpdatedAt)); err != nil {
			return fmt.Errorf("store: creating request %s: %w", r.ID, err)
		}
		return s.storeChange(ctx, ex, r.ID, 1, timeline, fx)
	}
	if len(fx.Ledger) == 0 {
		if err := s.writeAll(ctx, create); err != nil {
			return fmt.Errorf("store: creating request %s: %w", r.ID, underWay(err))
		}
		return nil
	}
	return underWay(s.withRecords(ctx, timeline[len(timeline)-1].At, fx.Ledger, func(tx *sql.Tx) error { return create(tx) }))
}

// UpdateRequest replaces the request's state and document if its stored
// version is still r.Version, stores it as r.Version+1 and appends the
// entries (at least one) to the timeline with the change's effects, the
// ledger records at the time of the last entry; otherwise it returns
// ErrConflict and changes nothing.
func (s *Store) UpdateRequest(ctx context.Context, r RequestRecord, timeline []TimelineEntry, fx Effects) error {
	if len(timeline) == 0 {
		return fmt.Errorf("store: updating request %s: no timeline entry", r.ID)
	}
	return underWay(s.withRecords(ctx, timeline[len(timeline)-1].At, fx.Ledger, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE requests SET state = ?, open_key = ?, doc = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`),
			r.State, openKey(r.OpenKey), string(r.Doc), formatTime(r.UpdatedAt), r.ID, r.Version)
		if err != nil {
			return fmt.Errorf("store: updating request %s: %w", r.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: updating request %s: %w", r.ID, err)
		} else if n == 0 {
			return fmt.Errorf("request %s: %w", r.ID, ErrConflict)
		}
		var seq int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(seq), 0) + 1 FROM request_timeline WHERE request_id = ?`), r.ID).Scan(&seq); err != nil {
			return fmt.Errorf("store: timeline of %s: %w", r.ID, err)
		}
		return s.storeChange(ctx, tx, r.ID, seq, timeline, fx)
	}))
}

// openKey stores an empty OpenKey as NULL: the unique index holds any
// number of those.
func openKey(k string) any {
	if k == "" {
		return nil
	}
	return k
}

// underWay is err as ErrUnderWay when it is the index requests_open_key
// refusing a second request under way for the same evidence.
func underWay(err error) error {
	if err != nil && uniqueViolation(err) == "requests_open_key" {
		return fmt.Errorf("%w: %w", ErrUnderWay, err)
	}
	return err
}

// OpenRequest is the request whose OpenKey is key, or ErrNotFound.
func (s *Store) OpenRequest(ctx context.Context, key string) (*RequestRecord, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+requestColumns+` FROM requests WHERE open_key = ?`), key)
	r, err := scanRequest(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("no request under way for %q: %w", key, ErrNotFound)
	}
	return r, err
}

// storeChange appends the timeline entries of a change from seq on and
// stores its effects but the ledger records, which the caller appends.
func (s *Store) storeChange(ctx context.Context, tx execer, id string, seq int, timeline []TimelineEntry, fx Effects) error {
	for i, e := range timeline {
		if err := s.addTimeline(ctx, tx, id, seq+i, e); err != nil {
			return err
		}
	}
	if err := s.addInbox(ctx, tx, id, timeline[len(timeline)-1].State, fx.Inbox); err != nil {
		return err
	}
	if err := s.addFeedback(ctx, tx, fx.Feedback); err != nil {
		return err
	}
	for _, j := range fx.Jobs {
		if _, err := s.enqueue(ctx, tx, j); err != nil {
			return err
		}
	}
	for _, d := range fx.Evidence {
		if _, err := tx.ExecContext(ctx, s.q(insertEvidence), id, d.Index, d.ContentType, d.Blob.SHA256, d.Blob.Size, []byte{}, d.Blob.ref, d.Blob.sealed); err != nil {
			return fmt.Errorf("store: document %d of %s: %w", d.Index, id, err)
		}
	}
	return nil
}

func (s *Store) addTimeline(ctx context.Context, tx execer, id string, seq int, e TimelineEntry) error {
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO request_timeline (request_id, seq, at, event, state, detail, expected_by) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		id, seq, formatTime(e.At), e.Event, e.State, e.Detail, formatTime(e.ExpectedBy)); err != nil {
		return fmt.Errorf("store: timeline of %s: %w", id, err)
	}
	return nil
}

const requestColumns = `id, owner, representative, service_id, state, COALESCE(open_key, ''), version, doc, created_at, updated_at`

// Request returns one request, or ErrNotFound.
func (s *Store) Request(ctx context.Context, id string) (*RequestRecord, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+requestColumns+` FROM requests WHERE id = ?`), id)
	r, err := scanRequest(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("request %q: %w", id, ErrNotFound)
	}
	return r, err
}

// RequestsOf returns the requests of owner and those owner made for
// others under a mandate, newest first.
func (s *Store) RequestsOf(ctx context.Context, owner string) ([]RequestRecord, error) {
	return s.listRequests(ctx, `WHERE owner = ? OR representative = ? ORDER BY created_at DESC, id`, owner, owner)
}

// DeskQuery selects the requests a clerks' desk lists.
type DeskQuery struct {
	// Services are the institution's services; nil means every service.
	Services []string
	// Recent is how many of the newest requests are listed whatever they
	// are.
	Recent int
	// Awaiting are the states of requests listed however old, unless a
	// timeline event of Decisions decided them: the clerks' work.
	Awaiting, Decisions []string
}

// DeskRequests returns the requests q selects, newest first: the newest
// q.Recent, and beyond them every one awaiting a decision. The work is
// never cut off by a busy day of another institution's or by its own
// decided applications.
func (s *Store) DeskRequests(ctx context.Context, q DeskQuery) ([]RequestRecord, error) {
	var conds []string
	args := anys(q.Services)
	if q.Services != nil {
		if len(q.Services) == 0 {
			return []RequestRecord{}, nil
		}
		conds = append(conds, `service_id IN (`+placeholders(len(q.Services))+`)`)
	}
	recent, err := s.listRequests(ctx, whereAll(conds)+` ORDER BY created_at DESC, id LIMIT ?`, append(slices.Clip(args), q.Recent)...)
	if err != nil || len(recent) < q.Recent || len(q.Awaiting) == 0 {
		return recent, err // all of them, or no work asked for
	}
	conds = append(conds, `state IN (`+placeholders(len(q.Awaiting))+`)`)
	args = append(args, anys(q.Awaiting)...)
	if len(q.Decisions) > 0 {
		conds = append(conds, `NOT EXISTS (SELECT 1 FROM request_timeline t
			WHERE t.request_id = requests.id AND t.event IN (`+placeholders(len(q.Decisions))+`))`)
		args = append(args, anys(q.Decisions)...)
	}
	// Older than the newest listed: those are in already.
	last := recent[len(recent)-1]
	conds = append(conds, `(created_at < ? OR (created_at = ? AND id > ?))`)
	args = append(args, formatTime(last.CreatedAt), formatTime(last.CreatedAt), last.ID)
	work, err := s.listRequests(ctx, whereAll(conds)+` ORDER BY created_at DESC, id`, args...)
	return append(recent, work...), err
}

// placeholders is n comma-separated ? placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// anys is ss as query arguments; nil for nil.
func anys(ss []string) []any {
	if ss == nil {
		return nil
	}
	out := make([]any, len(ss))
	for i, v := range ss {
		out[i] = v
	}
	return out
}

// whereAll is WHERE with all the conditions, or nothing for none.
func whereAll(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return `WHERE ` + strings.Join(conds, ` AND `)
}

// listRequests returns the requests that the clause (WHERE, ORDER BY,
// LIMIT with ? placeholders for args) selects.
func (s *Store) listRequests(ctx context.Context, clause string, args ...any) ([]RequestRecord, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+requestColumns+` FROM requests `+clause), args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing requests: %w", err)
	}
	defer rows.Close()
	out := []RequestRecord{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Timeline returns the steps of a request in order.
func (s *Store) Timeline(ctx context.Context, id string) ([]TimelineEntry, error) {
	return s.timeline(ctx, s.db, id)
}

// querier is a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) timeline(ctx context.Context, db querier, id string) ([]TimelineEntry, error) {
	rows, err := db.QueryContext(ctx, s.q(`SELECT seq, at, event, state, detail, expected_by FROM request_timeline WHERE request_id = ? ORDER BY seq`), id)
	if err != nil {
		return nil, fmt.Errorf("store: timeline of %s: %w", id, err)
	}
	defer rows.Close()
	out := []TimelineEntry{}
	for rows.Next() {
		var (
			e          TimelineEntry
			at, expect string
		)
		if err := rows.Scan(&e.Seq, &at, &e.Event, &e.State, &e.Detail, &expect); err != nil {
			return nil, fmt.Errorf("store: timeline of %s: %w", id, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("store: timeline of %s: %w", id, err)
		}
		if e.ExpectedBy, err = parseTime(expect); err != nil {
			return nil, fmt.Errorf("store: timeline of %s: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanRequest(row scanner) (*RequestRecord, error) {
	var (
		r                RequestRecord
		doc, created, up string
	)
	if err := row.Scan(&r.ID, &r.Owner, &r.Representative, &r.ServiceID, &r.State, &r.OpenKey, &r.Version, &doc, &created, &up); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		return nil, fmt.Errorf("store: reading request: %w", err)
	}
	r.Doc = []byte(doc)
	var err error
	if r.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("store: request %s: %w", r.ID, err)
	}
	if r.UpdatedAt, err = parseTime(up); err != nil {
		return nil, fmt.Errorf("store: request %s: %w", r.ID, err)
	}
	return &r, nil
}
