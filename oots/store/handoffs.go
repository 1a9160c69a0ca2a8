package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Handoff is one stored handoff: what the app starts when it is redeemed,
// for whom, until when, and whether it was used.
type Handoff struct {
	ID          string
	Code        string
	ServiceID   string
	Requirement string
	Country     string
	// Subject is the person it is bound to; empty for anyone.
	Subject   string
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is zero until redeemed; UsedBy and RequestID say by whom and
	// what it started. A pairing handoff has its RequestID from the start:
	// the request it carries on with.
	UsedAt    time.Time
	UsedBy    string
	RequestID string
	// Grant is the principal (JSON) of the person who made the handoff
	// for themselves: redeeming it on a signed-out device signs that
	// device in as them. Empty for other handoffs.
	Grant string
	// SignedBy names the key its link was signed with (a hash of it).
	SignedBy string
}

// handoffKeep is how long expired handoffs stay before they are purged, so
// a late redeem still hears "expired" rather than "unknown".
const handoffKeep = 24 * time.Hour

// PutHandoff stores a new handoff and purges those expired for a day.
func (s *Store) PutHandoff(ctx context.Context, h Handoff) error {
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM handoffs WHERE expires_at < ?`), formatTime(h.CreatedAt.Add(-handoffKeep))); err != nil {
		return fmt.Errorf("store: purging old handoffs: %w", err)
	}
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO handoffs (id, code, service_id, requirement, country, subject, created_at, expires_at, used_at, used_by, request_id, grant_principal, signed_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?)`),
		h.ID, h.Code, h.ServiceID, h.Requirement, h.Country, h.Subject, formatTime(h.CreatedAt), formatTime(h.ExpiresAt), h.RequestID, h.Grant, h.SignedBy)
	if err != nil {
		return fmt.Errorf("store: keeping handoff: %w", err)
	}
	return nil
}

// Handoff returns the handoff with id, or ErrNotFound.
func (s *Store) Handoff(ctx context.Context, id string) (*Handoff, error) {
	return s.handoffWhere(ctx, "id", id)
}

// HandoffByCode returns the handoff with short code, or ErrNotFound.
func (s *Store) HandoffByCode(ctx context.Context, code string) (*Handoff, error) {
	return s.handoffWhere(ctx, "code", code)
}

func (s *Store) handoffWhere(ctx context.Context, column, value string) (*Handoff, error) {
	var (
		h                        Handoff
		created, expires, usedAt string
	)
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, code, service_id, requirement, country, subject, created_at, expires_at, used_at, used_by, request_id, grant_principal, signed_by
		FROM handoffs WHERE `+column+` = ?`), value).
		Scan(&h.ID, &h.Code, &h.ServiceID, &h.Requirement, &h.Country, &h.Subject, &created, &expires, &usedAt, &h.UsedBy, &h.RequestID, &h.Grant, &h.SignedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("handoff: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: handoff: %w", err)
	}
	var e1, e2, e3 error
	h.CreatedAt, e1 = parseTime(created)
	h.ExpiresAt, e2 = parseTime(expires)
	h.UsedAt, e3 = parseTime(usedAt)
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, fmt.Errorf("store: handoff %s: %w", h.ID, err)
	}
	return &h, nil
}

// UseHandoff marks handoff id used by subject at the given time, in one
// statement that also checks it was unused: a second redeem, even at the
// same moment from another process, gets ErrConflict.
func (s *Store) UseHandoff(ctx context.Context, id, subject string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE handoffs SET used_at = ?, used_by = ? WHERE id = ? AND used_at = ''`), formatTime(at), subject, id)
	if err != nil {
		return fmt.Errorf("store: using handoff: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: using handoff: %w", err)
	} else if n == 0 {
		return fmt.Errorf("handoff %s: %w", id, ErrConflict)
	}
	return nil
}

// GiveBackHandoff marks handoff id unused again (what its redeem was to
// open could not be had).
func (s *Store) GiveBackHandoff(ctx context.Context, id string) error {
	if _, err := s.w.ExecContext(ctx, s.q(`UPDATE handoffs SET used_at = '', used_by = '' WHERE id = ?`), id); err != nil {
		return fmt.Errorf("store: giving a handoff back: %w", err)
	}
	return nil
}

// FinishHandoff records what redeeming handoff id started: requestID, or
// "" to give the handoff back unused when starting failed.
func (s *Store) FinishHandoff(ctx context.Context, id, requestID string) error {
	query := `UPDATE handoffs SET request_id = ? WHERE id = ?`
	if requestID == "" {
		query = `UPDATE handoffs SET used_at = '', used_by = '', request_id = ? WHERE id = ?`
	}
	if _, err := s.w.ExecContext(ctx, s.q(query), requestID, id); err != nil {
		return fmt.Errorf("store: finishing handoff: %w", err)
	}
	return nil
}

// ServiceKey returns the service's key called name, storing fresh as that
// key when there is none yet; every process sharing the database gets the
// same key.
func (s *Store) ServiceKey(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	if _, err := s.w.ExecContext(ctx, s.q(`INSERT INTO service_keys (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`), name, fresh); err != nil {
		return nil, fmt.Errorf("store: keeping key %s: %w", name, err)
	}
	var key []byte
	if err := s.w.QueryRowContext(ctx, s.q(`SELECT secret FROM service_keys WHERE name = ?`), name).Scan(&key); err != nil {
		return nil, fmt.Errorf("store: reading key %s: %w", name, err)
	}
	return key, nil
}
