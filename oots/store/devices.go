package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// DeviceGrant is a device signed in by pairing: who it acts for and the
// hashes of its current tokens (the tokens themselves are never stored).
type DeviceGrant struct {
	ID      string
	Subject string
	// Principal is the person as the service authenticated them on the
	// device that paired this one (JSON, the exchange's Principal).
	Principal string
	// Device is the name the device gave itself ("Pixel 8").
	Device              string
	AccessHash          string
	AccessExpiresAt     time.Time
	RefreshHash         string
	PreviousRefreshHash string
	RefreshExpiresAt    time.Time
	CreatedAt           time.Time
	RefreshedAt         time.Time
	// RevokedAt is zero while the grant lasts.
	RevokedAt time.Time
}

const deviceGrantColumns = `id, subject, principal, device, access_hash, access_expires_at, refresh_hash,
	previous_refresh_hash, refresh_expires_at, created_at, refreshed_at, revoked_at`

// PutDeviceGrant stores a new grant.
func (s *Store) PutDeviceGrant(ctx context.Context, g DeviceGrant) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO device_grants (`+deviceGrantColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`),
		g.ID, g.Subject, g.Principal, g.Device, g.AccessHash, formatTime(g.AccessExpiresAt), g.RefreshHash,
		g.PreviousRefreshHash, formatTime(g.RefreshExpiresAt), formatTime(g.CreatedAt), formatTime(g.RefreshedAt))
	if err != nil {
		return fmt.Errorf("store: keeping device grant: %w", err)
	}
	return nil
}

// DeviceGrantByAccess returns the grant whose access token hashes to
// hash, or ErrNotFound.
func (s *Store) DeviceGrantByAccess(ctx context.Context, hash string) (*DeviceGrant, error) {
	return s.deviceGrant(ctx, s.db, `access_hash = ?`, hash)
}

// DeviceGrantByRefresh returns the grant whose current or previous
// refresh token hashes to hash (the caller tells them apart), or
// ErrNotFound.
func (s *Store) DeviceGrantByRefresh(ctx context.Context, hash string) (*DeviceGrant, error) {
	return s.deviceGrant(ctx, s.w, `refresh_hash = ? OR previous_refresh_hash = ?`, hash, hash)
}

// DeviceGrants returns the person's grants that are not revoked, newest
// first.
func (s *Store) DeviceGrants(ctx context.Context, subject string) ([]DeviceGrant, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+deviceGrantColumns+` FROM device_grants
		WHERE subject = ? AND revoked_at = '' ORDER BY created_at DESC, id`), subject)
	if err != nil {
		return nil, fmt.Errorf("store: device grants: %w", err)
	}
	defer rows.Close()
	var out []DeviceGrant
	for rows.Next() {
		g, err := scanDeviceGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *g)
	}
	return out, rows.Err()
}

func (s *Store) deviceGrant(ctx context.Context, db *sql.DB, where string, args ...any) (*DeviceGrant, error) {
	g, err := scanDeviceGrant(db.QueryRowContext(ctx, s.q(`SELECT `+deviceGrantColumns+` FROM device_grants WHERE `+where), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("device grant: %w", ErrNotFound)
	}
	return g, err
}

func scanDeviceGrant(row interface{ Scan(...any) error }) (*DeviceGrant, error) {
	var (
		g                                            DeviceGrant
		access, refresh, created, refreshed, revoked string
	)
	err := row.Scan(&g.ID, &g.Subject, &g.Principal, &g.Device, &g.AccessHash, &access, &g.RefreshHash,
		&g.PreviousRefreshHash, &refresh, &created, &refreshed, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: device grant: %w", err)
	}
	var errs [5]error
	g.AccessExpiresAt, errs[0] = parseTime(access)
	g.RefreshExpiresAt, errs[1] = parseTime(refresh)
	g.CreatedAt, errs[2] = parseTime(created)
	g.RefreshedAt, errs[3] = parseTime(refreshed)
	g.RevokedAt, errs[4] = parseTime(revoked)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("store: device grant %s: %w", g.ID, err)
	}
	return &g, nil
}

// RotateDeviceGrant gives grant id new tokens in place of the refresh
// token hashed oldRefresh, in one statement that checks that token is
// still the current one and the grant not revoked: of two refreshes with
// the same token, the second gets ErrConflict.
func (s *Store) RotateDeviceGrant(ctx context.Context, id, oldRefresh string, next DeviceGrant) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE device_grants SET access_hash = ?, access_expires_at = ?, refresh_hash = ?,
		previous_refresh_hash = ?, refresh_expires_at = ?, refreshed_at = ?
		WHERE id = ? AND refresh_hash = ? AND revoked_at = ''`),
		next.AccessHash, formatTime(next.AccessExpiresAt), next.RefreshHash, oldRefresh,
		formatTime(next.RefreshExpiresAt), formatTime(next.RefreshedAt), id, oldRefresh)
	if err != nil {
		return fmt.Errorf("store: refreshing device grant: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: refreshing device grant: %w", err)
	} else if n == 0 {
		return fmt.Errorf("device grant %s: %w", id, ErrConflict)
	}
	return nil
}

// RevokeDeviceGrant ends the person's grant id; ErrNotFound when they have
// no such grant that lasts.
func (s *Store) RevokeDeviceGrant(ctx context.Context, subject, id string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE device_grants SET revoked_at = ? WHERE id = ? AND subject = ? AND revoked_at = ''`),
		formatTime(at), id, subject)
	if err != nil {
		return fmt.Errorf("store: revoking device grant: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: revoking device grant: %w", err)
	} else if n == 0 {
		return fmt.Errorf("device grant %s: %w", id, ErrNotFound)
	}
	return nil
}

// RevokeDeviceGrants ends every grant of the person ("sign out
// everywhere") and returns how many there were.
func (s *Store) RevokeDeviceGrants(ctx context.Context, subject string, at time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE device_grants SET revoked_at = ? WHERE subject = ? AND revoked_at = ''`), formatTime(at), subject)
	if err != nil {
		return 0, fmt.Errorf("store: revoking device grants: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
