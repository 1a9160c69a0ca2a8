package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
)

// RoleAssignment is a role an administrator gave a person.
type RoleAssignment struct {
	// Subject is the person's identifier.
	Subject string
	// Role is "clerk" or "administrator".
	Role string
	// Institution is the authority a clerk works for; empty otherwise.
	Institution string
	// Name is the person's name as they last signed in; "" before.
	Name       string
	AssignedBy string
	AssignedAt time.Time
}

// PutRole gives a.Subject the role a names, replacing an earlier one.
func (s *Store) PutRole(ctx context.Context, a RoleAssignment, records ...ledger.Record) error {
	return s.withRecords(ctx, a.AssignedAt, records, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO role_assignments (subject, role, institution, assigned_by, assigned_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (subject) DO UPDATE SET role = excluded.role, institution = excluded.institution,
			assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`),
			a.Subject, a.Role, a.Institution, a.AssignedBy, formatTime(a.AssignedAt))
		if err != nil {
			return fmt.Errorf("store: assigning a role: %w", err)
		}
		return nil
	})
}

// NameRole records name as the name of subject, who has a role, when it
// changed; nothing happens for a person without a role.
func (s *Store) NameRole(ctx context.Context, subject, name string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE role_assignments SET name = ? WHERE subject = ? AND name <> ?`), name, subject, name)
	if err != nil {
		return fmt.Errorf("store: naming %s: %w", subject, err)
	}
	return nil
}

// DeleteRole takes subject's assigned role away; ErrNotFound when none.
func (s *Store) DeleteRole(ctx context.Context, subject string, at time.Time, records ...ledger.Record) error {
	return s.withRecords(ctx, at, records, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM role_assignments WHERE subject = ?`), subject)
		if err != nil {
			return fmt.Errorf("store: removing a role: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("role of %s: %w", subject, ErrNotFound)
		}
		return nil
	})
}

// Role returns subject's assigned role, or ErrNotFound.
func (s *Store) Role(ctx context.Context, subject string) (*RoleAssignment, error) {
	list, err := s.roles(ctx, `WHERE subject = ?`, subject)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("role of %s: %w", subject, ErrNotFound)
	}
	return &list[0], nil
}

// Roles lists every assigned role, by subject.
func (s *Store) Roles(ctx context.Context) ([]RoleAssignment, error) {
	return s.roles(ctx, `ORDER BY subject`)
}

func (s *Store) roles(ctx context.Context, where string, args ...any) ([]RoleAssignment, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT subject, role, institution, name, assigned_by, assigned_at FROM role_assignments `+where), args...)
	if err != nil {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	defer rows.Close()
	var out []RoleAssignment
	for rows.Next() {
		var (
			a  RoleAssignment
			at string
		)
		if err := rows.Scan(&a.Subject, &a.Role, &a.Institution, &a.Name, &a.AssignedBy, &at); err != nil {
			return nil, fmt.Errorf("store: roles: %w", err)
		}
		if a.AssignedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("store: role of %s: %w", a.Subject, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	return out, nil
}
