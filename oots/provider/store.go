package provider

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Preview states.
const (
	statePending   = "pending"   // waiting for the citizen to look
	stateViewed    = "viewed"    // shown once, waiting for the decision
	stateApproved  = "approved"  // may be delivered to the second request
	stateRefused   = "refused"   // never delivered
	stateDelivered = "delivered" // sent to the requester
)

const storeSchema = `
CREATE TABLE IF NOT EXISTS previews (
	token_hash     TEXT PRIMARY KEY,
	exchange_id    TEXT NOT NULL,
	requester      TEXT NOT NULL,
	provider_urn   TEXT NOT NULL,
	evidence_type  TEXT NOT NULL,
	subject        TEXT NOT NULL,
	previewer      TEXT NOT NULL,
	request        BLOB NOT NULL,
	state          TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	decided_at     INTEGER,
	delivered_by   TEXT NOT NULL DEFAULT '',
	language       TEXT NOT NULL DEFAULT ''
);
`

// errNoPreview means no preview has the token.
var errNoPreview = errors.New("no preview for this token")

// errState means the preview is not in a state that allows the change.
var errState = errors.New("preview state does not allow this")

// preview is one row of the previews table.
type preview struct {
	TokenHash    string
	ExchangeID   string
	Requester    string // AS4 party name the answers go to
	ProviderURN  string // directory access-service URN the request addressed
	EvidenceType string // evidence type classification
	Subject      string // identifier of the evidence subject
	Previewer    string // identifier of the person who must approve
	Request      []byte // the first EDM request, as received
	State        string
	Created      time.Time
	Expires      time.Time
	Decided      time.Time
	DeliveredBy  string // AS4 MessageId of the request the evidence answered
	Language     string // the evidence was shown in at the preview; "" before
}

// store keeps previews in SQLite.
type store struct {
	db *sql.DB
}

// openStore opens (creating) the preview database at path.
func openStore(ctx context.Context, path string) (*store, error) {
	if err := sqlitedsn.Private(path); err != nil {
		return nil, fmt.Errorf("sqlite file %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", sqlitedsn.For(path, "FULL"))
	if err != nil {
		return nil, fmt.Errorf("provider store: open %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, storeSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("provider store: schema in %s: %w", path, err)
	}
	if err := addLanguageColumn(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("provider store: schema in %s: %w", path, err)
	}
	return &store{db: db}, nil
}

// addLanguageColumn gives a previews table made before the previews kept
// their language its language column.
func addLanguageColumn(ctx context.Context, db *sql.DB) error {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('previews') WHERE name = 'language'`).Scan(&n); err != nil || n == 1 {
		return err
	}
	_, err := db.ExecContext(ctx, `ALTER TABLE previews ADD COLUMN language TEXT NOT NULL DEFAULT ''`)
	return err
}

func (s *store) close() error { return s.db.Close() }

// hashToken is the key a token is stored under: the token itself never
// touches the disk, so a copy of the database opens no preview.
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// insertOnce stores a new pending preview and returns it, or returns the
// preview already stored under its token hash.
func (s *store) insertOnce(ctx context.Context, p *preview) (*preview, error) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO previews(token_hash, exchange_id, requester, provider_urn,
		evidence_type, subject, previewer, request, state, created_at, expires_at)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(token_hash) DO NOTHING`,
		p.TokenHash, p.ExchangeID, p.Requester, p.ProviderURN, p.EvidenceType, p.Subject, p.Previewer,
		p.Request, statePending, p.Created.UnixNano(), p.Expires.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("provider store: insert preview: %w", err)
	}
	return s.get(ctx, p.TokenHash)
}

// get returns the preview with the token hash, or errNoPreview.
func (s *store) get(ctx context.Context, tokenHash string) (*preview, error) {
	var p preview
	var created, expires int64
	var decided sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT token_hash, exchange_id, requester, provider_urn, evidence_type,
		subject, previewer, request, state, created_at, expires_at, decided_at, delivered_by, language
		FROM previews WHERE token_hash = ?`, tokenHash).Scan(
		&p.TokenHash, &p.ExchangeID, &p.Requester, &p.ProviderURN, &p.EvidenceType, &p.Subject, &p.Previewer,
		&p.Request, &p.State, &created, &expires, &decided, &p.DeliveredBy, &p.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoPreview
	}
	if err != nil {
		return nil, fmt.Errorf("provider store: get preview: %w", err)
	}
	p.Created, p.Expires = time.Unix(0, created), time.Unix(0, expires)
	if decided.Valid {
		p.Decided = time.Unix(0, decided.Int64)
	}
	return &p, nil
}

// count returns the number of previews (tests and metrics).
func (s *store) count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM previews`).Scan(&n); err != nil {
		return 0, fmt.Errorf("provider store: count: %w", err)
	}
	return n, nil
}

// markViewed moves a pending, unexpired preview to viewed; a viewed one
// stays viewed (the requester lost the first answer and fetches again).
// It fails with errState when the preview was decided or expired: once
// decided, the evidence is not shown again.
func (s *store) markViewed(ctx context.Context, tokenHash string, now time.Time, language string) error {
	return s.transition(ctx, `UPDATE previews SET state = ?, language = ? WHERE token_hash = ? AND state IN (?, ?) AND expires_at > ?`,
		stateViewed, language, tokenHash, statePending, stateViewed, now.UnixNano())
}

// decide moves a viewed, unexpired preview to approved or refused. An
// approval gets a fresh expiry: the second request must come within ttl.
func (s *store) decide(ctx context.Context, tokenHash string, approve bool, now time.Time, ttl time.Duration) error {
	state := stateRefused
	if approve {
		state = stateApproved
	}
	return s.transition(ctx, `UPDATE previews SET state = ?, decided_at = ?, expires_at = ?
		WHERE token_hash = ? AND state = ? AND expires_at > ?`,
		state, now.UnixNano(), now.Add(ttl).UnixNano(), tokenHash, stateViewed, now.UnixNano())
}

// markDelivered takes an approved, unexpired preview for the request with
// AS4 MessageId msgID. Taking it again for the same msgID succeeds (a
// redelivery after a crash), for any other request it fails with errState:
// evidence goes out once.
func (s *store) markDelivered(ctx context.Context, tokenHash, msgID string, now time.Time) error {
	return s.transition(ctx, `UPDATE previews SET state = ?, delivered_by = ?
		WHERE token_hash = ? AND ((state = ? AND expires_at > ?) OR (state = ? AND delivered_by = ?))`,
		stateDelivered, msgID, tokenHash, stateApproved, now.UnixNano(), stateDelivered, msgID)
}

// transition runs an UPDATE that must change exactly one row.
func (s *store) transition(ctx context.Context, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("provider store: update preview: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("provider store: update preview: %w", err)
	}
	if n != 1 {
		return errState
	}
	return nil
}
