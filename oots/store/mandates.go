package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// Mandate lets Representative act for Represented (a person or a company)
// in Services (all when empty) from ValidFrom until ValidUntil, unless
// revoked.
type Mandate struct {
	ID                 string
	Representative     string
	RepresentativeName string
	Represented        string
	RepresentedName    string
	// The represented person's eIDAS attributes (empty for a company),
	// the subject of requests made under the mandate.
	RepresentedGivenName, RepresentedFamilyName, RepresentedDateOfBirth string
	Services                                                            []string
	ValidFrom                                                           time.Time
	ValidUntil                                                          time.Time
	CreatedBy                                                           string
	CreatedAt                                                           time.Time
	// RevokedAt is zero while the mandate stands.
	RevokedAt time.Time
	RevokedBy string
}

// PutMandate stores a new mandate.
func (s *Store) PutMandate(ctx context.Context, m Mandate, records ...ledger.Record) error {
	return s.withRecords(ctx, m.CreatedAt, records, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO mandates (id, representative, representative_name, represented, represented_name,
		represented_given_name, represented_family_name, represented_date_of_birth,
		services, valid_from, valid_until, created_by, created_at, revoked_at, revoked_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '')`),
			m.ID, m.Representative, m.RepresentativeName, m.Represented, m.RepresentedName,
			m.RepresentedGivenName, m.RepresentedFamilyName, m.RepresentedDateOfBirth, strings.Join(m.Services, " "),
			formatTime(m.ValidFrom), formatTime(m.ValidUntil), m.CreatedBy, formatTime(m.CreatedAt))
		if err != nil {
			return fmt.Errorf("store: keeping a mandate: %w", err)
		}
		return nil
	})
}

// Mandate returns the mandate with id, or ErrNotFound.
func (s *Store) Mandate(ctx context.Context, id string) (*Mandate, error) {
	list, err := s.mandates(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("mandate %s: %w", id, ErrNotFound)
	}
	return &list[0], nil
}

// MandatesOf lists the mandates subject holds, gave or registered (an
// administrator, for a company), newest first.
func (s *Store) MandatesOf(ctx context.Context, subject string) ([]Mandate, error) {
	return s.mandates(ctx, `WHERE representative = ? OR represented = ? OR created_by = ? ORDER BY created_at DESC, id`, subject, subject, subject)
}

// RevokeMandate marks mandate id revoked by who at the given time, once: a
// second revocation gets ErrConflict.
func (s *Store) RevokeMandate(ctx context.Context, id, who string, at time.Time, records ...ledger.Record) error {
	return s.withRecords(ctx, at, records, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE mandates SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at = ''`), formatTime(at), who, id)
		if err != nil {
			return fmt.Errorf("store: revoking a mandate: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := s.Mandate(ctx, id); err != nil {
				return err
			}
			return fmt.Errorf("mandate %s is already revoked: %w", id, ErrConflict)
		}
		return nil
	})
}

func (s *Store) mandates(ctx context.Context, where string, args ...any) ([]Mandate, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, representative, representative_name, represented, represented_name,
		represented_given_name, represented_family_name, represented_date_of_birth, services, valid_from, valid_until, created_by, created_at, revoked_at, revoked_by FROM mandates `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("store: mandates: %w", err)
	}
	defer rows.Close()
	var out []Mandate
	for rows.Next() {
		var (
			m                                   Mandate
			services, from, until, created, rev string
		)
		if err := rows.Scan(&m.ID, &m.Representative, &m.RepresentativeName, &m.Represented, &m.RepresentedName,
			&m.RepresentedGivenName, &m.RepresentedFamilyName, &m.RepresentedDateOfBirth, &services, &from, &until, &m.CreatedBy, &created, &rev, &m.RevokedBy); err != nil {
			return nil, fmt.Errorf("store: mandates: %w", err)
		}
		if services != "" {
			m.Services = strings.Fields(services)
		}
		var e1, e2, e3, e4 error
		m.ValidFrom, e1 = parseTime(from)
		m.ValidUntil, e2 = parseTime(until)
		m.CreatedAt, e3 = parseTime(created)
		m.RevokedAt, e4 = parseTime(rev)
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			return nil, fmt.Errorf("store: mandate %s: %w", m.ID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: mandates: %w", err)
	}
	return out, nil
}
